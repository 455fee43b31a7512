// The picture of each live camera for people watching it (the web app's /live
// tiles): the latest captured frame as a JPEG, at a modest rate, produced only
// while someone watches. The camera runner offers every captured frame; with
// no watcher (or too soon after the last one) that costs a map lookup. A taken
// frame is copied (the engine may transfer the original) and encoded by sharp
// on libvips' threads, so the event loop never waits on it.
import sharp from 'sharp';
import type { CameraId } from '../domain/ids.js';
import type { RawFrame } from '../engine/face-engine.js';

export interface PreviewFrame {
  cameraId: CameraId;
  jpeg: Uint8Array;
  /** Size of the JPEG (frames wider than maxWidth are scaled down). */
  width: number;
  height: number;
  /** Size of the camera frame, the coordinate space of recognitionFrames' boxes. */
  sourceWidth: number;
  sourceHeight: number;
  /** Epoch ms the frame was captured. */
  capturedAt: number;
}

export type PreviewListener = (frame: PreviewFrame) => void;

export interface FramePreviewOptions {
  /** Frames per second sent to watchers. Default 8. */
  fps?: number;
  /** Wider frames are scaled down to this width. Default 960. */
  maxWidth?: number;
  /** JPEG quality. Default 70. */
  quality?: number;
}

interface CameraPreview {
  listeners: Set<PreviewListener>;
  lastTakenAt: number;
  encoding: boolean;
  latest: PreviewFrame | undefined;
}

/** BGR (OpenCV's order) to RGB in libvips, no copy loop in JavaScript. */
const BGR_TO_RGB: [[number, number, number], [number, number, number], [number, number, number]] = [
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
];

export class FramePreviews {
  readonly #cameras = new Map<CameraId, CameraPreview>();
  readonly #intervalMs: number;
  readonly #maxWidth: number;
  readonly #quality: number;
  #encoded = 0;

  constructor(options: FramePreviewOptions = {}) {
    this.#intervalMs = 1000 / Math.max(0.1, options.fps ?? 8);
    this.#maxWidth = options.maxWidth ?? 960;
    this.#quality = options.quality ?? 70;
  }

  /** Starts sending this camera's frames to the listener (the last one at once, if any); returns the unsubscribe. */
  watch(cameraId: CameraId, listener: PreviewListener): () => void {
    let camera = this.#cameras.get(cameraId);
    if (camera === undefined) {
      camera = { listeners: new Set(), lastTakenAt: 0, encoding: false, latest: undefined };
      this.#cameras.set(cameraId, camera);
    }
    camera.listeners.add(listener);
    const latest = camera.latest;
    if (latest !== undefined) {
      queueMicrotask(() => safely(listener, latest));
    }
    return () => {
      camera.listeners.delete(listener);
      if (camera.listeners.size === 0 && !camera.encoding) {
        this.#cameras.delete(cameraId);
      }
    };
  }

  /** Watchers of one camera (tests, diagnostics). */
  watchers(cameraId: CameraId): number {
    return this.#cameras.get(cameraId)?.listeners.size ?? 0;
  }

  /** JPEGs encoded since start (tests: nothing is encoded while nobody watches). */
  get encodedCount(): number {
    return this.#encoded;
  }

  /** Called by the camera runner for every captured frame, synchronously. */
  offer(cameraId: CameraId, frame: RawFrame & { capturedAt: number }): void {
    const camera = this.#cameras.get(cameraId);
    if (camera === undefined || camera.listeners.size === 0 || camera.encoding) {
      return;
    }
    const now = Date.now();
    if (now - camera.lastTakenAt < this.#intervalMs) {
      return;
    }
    camera.lastTakenAt = now;
    camera.encoding = true;
    const pixels = frame.data.slice(0, frame.rows * frame.cols * 3);
    void this.#encode(pixels, frame.cols, frame.rows)
      .then((encoded) => {
        this.#encoded += 1;
        const preview: PreviewFrame = { cameraId, ...encoded, sourceWidth: frame.cols, sourceHeight: frame.rows, capturedAt: frame.capturedAt };
        camera.latest = preview;
        for (const listener of camera.listeners) {
          safely(listener, preview);
        }
      })
      .catch(() => undefined) // a frame that does not encode is skipped; the next one follows shortly
      .finally(() => {
        camera.encoding = false;
        if (camera.listeners.size === 0) {
          this.#cameras.delete(cameraId);
        }
      });
  }

  async #encode(pixels: Uint8Array, width: number, height: number): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
    let image = sharp(pixels, { raw: { width, height, channels: 3 } }).recomb(BGR_TO_RGB);
    if (width > this.#maxWidth) {
      image = image.resize({ width: this.#maxWidth });
    }
    const { data, info } = await image.jpeg({ quality: this.#quality, mozjpeg: false }).toBuffer({ resolveWithObject: true });
    return { jpeg: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  }
}

function safely(listener: PreviewListener, frame: PreviewFrame): void {
  try {
    listener(frame);
  } catch {
    // one watcher's failure must not reach the camera or the other watchers
  }
}
