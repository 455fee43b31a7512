// A camera's picture: JPEGs from the server's preview WebSocket (authenticated
// by the session cookie), shown as an object URL. The server encodes frames
// only while a socket is open, so closing it on unmount stops the work.
import { useEffect, useState } from 'react';

export type PreviewState = { kind: 'connecting' } | { kind: 'live'; url: string; at: number } | { kind: 'closed'; reason: string };

export function usePreview(cameraId: number, enabled: boolean): PreviewState {
  const [state, setState] = useState<PreviewState>({ kind: 'connecting' });
  useEffect(() => {
    if (!enabled) {
      setState({ kind: 'closed', reason: 'Camera stopped' });
      return;
    }
    let url: string | undefined;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    const connect = (): void => {
      setState((s) => (s.kind === 'live' ? s : { kind: 'connecting' }));
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/cameras/ws/preview?camera_id=${cameraId}`);
      socket.binaryType = 'blob';
      socket.onmessage = (event: MessageEvent<Blob>) => {
        const next = URL.createObjectURL(new Blob([event.data], { type: 'image/jpeg' }));
        const previous = url;
        url = next;
        setState({ kind: 'live', url: next, at: Date.now() });
        if (previous !== undefined) {
          // Give the <img> a moment to switch before the old frame's memory goes.
          setTimeout(() => URL.revokeObjectURL(previous), 1_000);
        }
      };
      socket.onclose = (event) => {
        if (disposed) {
          return;
        }
        if (event.code >= 4400 && event.code < 4500) {
          setState({ kind: 'closed', reason: event.reason || 'The picture is not available' });
          return;
        }
        retry = setTimeout(connect, 2_000);
      };
    };
    connect();
    return () => {
      disposed = true;
      clearTimeout(retry);
      socket?.close();
      if (url !== undefined) {
        URL.revokeObjectURL(url);
      }
    };
  }, [cameraId, enabled]);
  return state;
}
