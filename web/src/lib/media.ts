// Camera and file helpers for enrollment and the kiosk: the browser camera
// (getUserMedia), a frame of it as base64 JPEG, files as base64.
import { useEffect, useRef, useState, type RefObject } from 'react';

export type CameraStatus =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'live'; width: number; height: number }
  | { kind: 'failed'; message: string };

function describeCameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'Camera access was refused. Allow the camera for this site in the browser, then try again.';
    case 'NotFoundError':
      return 'No camera was found on this device.';
    case 'NotReadableError':
      return 'The camera is in use by another application.';
    default:
      return window.isSecureContext
        ? `The camera could not start${error instanceof Error ? `: ${error.message}` : '.'}`
        : 'The camera needs a secure page: open the app over https or on localhost.';
  }
}

/** Starts the browser camera into the video element while `active`; stops it (and the light) when not. */
export function useBrowserCamera(active: boolean): { videoRef: RefObject<HTMLVideoElement | null>; status: CameraStatus } {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<CameraStatus>({ kind: 'idle' });
  useEffect(() => {
    if (!active) {
      setStatus({ kind: 'idle' });
      return;
    }
    let stream: MediaStream | undefined;
    let cancelled = false;
    setStatus({ kind: 'starting' });
    if (navigator.mediaDevices?.getUserMedia === undefined) {
      setStatus({ kind: 'failed', message: describeCameraError(undefined) });
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false })
      .then(async (s) => {
        stream = s;
        const video = videoRef.current;
        if (cancelled || video === null) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        video.srcObject = s;
        await video.play();
        setStatus({ kind: 'live', width: video.videoWidth, height: video.videoHeight });
      })
      .catch((error: unknown) => {
        if (!cancelled) {
          setStatus({ kind: 'failed', message: describeCameraError(error) });
        }
      });
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [active]);
  return { videoRef, status };
}

let canvas: HTMLCanvasElement | undefined;

/** The video's current frame as base64 JPEG (no data: prefix), at most maxWidth wide. */
export async function grabFrame(video: HTMLVideoElement, maxWidth = 640, quality = 0.85): Promise<string | undefined> {
  if (video.videoWidth === 0 || video.readyState < 2) {
    return undefined;
  }
  const scale = Math.min(1, maxWidth / video.videoWidth);
  canvas ??= document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const ctx = canvas.getContext('2d');
  if (ctx === null) {
    return undefined;
  }
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas?.toBlob(resolve, 'image/jpeg', quality));
  return blob === null ? undefined : blobToBase64(blob);
}

export async function blobToBase64(blob: Blob): Promise<string> {
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(blob);
  });
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}

/** Offers text as a file download (CSV export). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
