// The capture process's side of the protocol: settings, acks and stop arrive
// over IPC; events and frames leave on stdout, in order.
import type { CaptureLoopHost } from './capture-loop.js';
import { encodeRecord, type CaptureSettings, type ParentMessage } from './capture-protocol.js';

export function startCaptureHost(run: (settings: CaptureSettings, host: CaptureLoopHost) => Promise<void>): void {
  if (process.send === undefined) {
    throw new Error('the capture process must be started with an IPC channel');
  }
  let stopped = false;
  let started = false;
  let inFlight = 0;
  const stopWakers = new Set<() => void>();
  const ackWakers = new Set<() => void>();
  const wakeAll = (wakers: Set<() => void>): void => {
    const list = [...wakers];
    wakers.clear();
    list.forEach((wake) => wake());
  };
  const stop = (): void => {
    stopped = true;
    wakeAll(stopWakers);
    wakeAll(ackWakers);
  };
  const out = process.stdout;

  const host: CaptureLoopHost = {
    stopped: () => stopped,
    inFlight: () => inFlight,
    sleep: (ms) =>
      new Promise<boolean>((resolve) => {
        if (stopped || ms <= 0) {
          resolve(stopped);
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          stopWakers.delete(done);
          resolve(stopped);
        };
        const timer = setTimeout(done, ms);
        stopWakers.add(done);
      }),
    nextAck: () =>
      new Promise<void>((resolve) => {
        if (stopped) {
          resolve();
          return;
        }
        ackWakers.add(resolve);
      }),
    emit: (event) => {
      out.write(encodeRecord(event));
    },
    emitFrame: (header, pixels) => {
      inFlight += 1;
      out.write(encodeRecord(header));
      if (out.write(pixels)) {
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => out.once('drain', resolve));
    },
  };

  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'start':
        if (started) {
          return;
        }
        started = true;
        run(message.settings, host)
          .catch((error: unknown) => {
            process.stderr.write(`capture loop failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = 1;
          })
          .finally(() => {
            // Let stdout drain, then close IPC so the process can end.
            out.write('', () => process.disconnect?.());
          });
        return;
      case 'ack':
        inFlight = Math.max(0, inFlight - message.frames);
        wakeAll(ackWakers);
        return;
      case 'stop':
        stop();
        return;
    }
  });
  // The server went away: stop reading and leave.
  process.on('disconnect', () => {
    stop();
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
