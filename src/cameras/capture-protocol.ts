// Messages between a camera's capture process and the server. The capture
// runs in a child process, not a worker thread: @u4/opencv4nodejs keeps its
// class templates in process-wide statics, so a second thread that loads it
// (or a thread that loads it after another one exited) crashes the whole
// process. One process per camera also isolates FFmpeg/driver crashes.
//
// Child -> parent: one ordered byte stream on stdout of records
//   [u32 LE header length][header JSON][payload: header.byteLength bytes, frames only]
// Parent -> child: IPC messages (start, ack, stop).
import type { BackoffOptions } from './backoff.js';
import type { CameraSource } from './source.js';

export interface CaptureSettings {
  source: CameraSource;
  /** Requested resolution and rate; devices and some streams honour them, files keep their own. */
  width?: number;
  height?: number;
  fps?: number;
  /**
   * Files only. true: play at the file's frame rate, like a camera (frames the
   * consumer cannot take are skipped and counted). false: read as fast as the
   * consumer acknowledges frames, never skipping one (benchmarks, tests).
   */
  realtime: boolean;
  /** Most frames the capture keeps un-acknowledged before it skips (live) or waits (lossless). */
  maxInFlight: number;
  backoff: BackoffOptions;
}

export type ParentMessage = { type: 'start'; settings: CaptureSettings } | { type: 'ack'; frames: number } | { type: 'stop' };

export interface FrameHeader {
  type: 'frame';
  /** Counts every frame read since the capture started, across reconnects and loops. */
  frameNumber: number;
  /** Epoch ms (performance.timeOrigin + performance.now(), comparable across processes). */
  capturedAt: number;
  /** Position in a file, ms from its start; null for live sources. */
  mediaTimeMs: number | null;
  rows: number;
  cols: number;
  byteLength: number;
  /** Frames skipped so far because the consumer held maxInFlight frames. */
  skipped: number;
}

export type CaptureEvent =
  | { type: 'opening'; attempt: number }
  | { type: 'opened'; width: number; height: number; fps: number; frameCount: number | null }
  | FrameHeader
  | { type: 'reconnecting'; attempt: number; retryInMs: number; error: string }
  /** A frame was skipped (consumer behind); the running total. */
  | { type: 'skipped'; total: number }
  | { type: 'ended'; frames: number }
  | { type: 'stopped' };

export type CaptureRecord = { event: Exclude<CaptureEvent, FrameHeader> } | { event: FrameHeader; payload: Uint8Array };

export function encodeRecord(event: CaptureEvent): Buffer {
  const header = Buffer.from(JSON.stringify(event), 'utf8');
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32LE(header.length, 0);
  return Buffer.concat([prefix, header]);
}

/** Splits the child's stdout back into records, whatever the chunking. */
export class CaptureRecordDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #header: CaptureEvent | undefined;

  push(chunk: Buffer): CaptureRecord[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const records: CaptureRecord[] = [];
    for (;;) {
      if (this.#header === undefined) {
        if (this.#buffered < 4) {
          break;
        }
        const length = this.#peek(4).readUInt32LE(0);
        if (this.#buffered < 4 + length) {
          break;
        }
        this.#take(4);
        this.#header = JSON.parse(this.#take(length).toString('utf8')) as CaptureEvent;
      }
      const header = this.#header;
      if (header.type !== 'frame') {
        records.push({ event: header });
        this.#header = undefined;
        continue;
      }
      if (this.#buffered < header.byteLength) {
        break;
      }
      records.push({ event: header, payload: owned(this.#take(header.byteLength)) });
      this.#header = undefined;
    }
    return records;
  }

  #peek(n: number): Buffer {
    const first = this.#chunks[0]!;
    if (first.length >= n) {
      return first.subarray(0, n);
    }
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    return joined.subarray(0, n);
  }

  /** Removes n bytes from the front; a frame inside one chunk is a view, not a copy. */
  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0]!;
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    let used = 0; // whole chunks consumed; removed in one splice (no quadratic shifting)
    while (offset < n) {
      const chunk = this.#chunks[used]!;
      const take = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, take);
      offset += take;
      if (take === chunk.length) {
        used += 1;
      } else {
        this.#chunks[used] = chunk.subarray(take);
      }
    }
    this.#chunks.splice(0, used);
    return out;
  }
}

/** A Uint8Array that owns its whole ArrayBuffer, so the engine may transfer it without detaching anything else. */
function owned(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return new Uint8Array(bytes.buffer, 0, bytes.byteLength);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
