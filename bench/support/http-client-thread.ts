// Sends the same HTTP request N times from its own thread and reports each
// round trip, so a benchmark's client does not share the server's event loop
// (as wrk or autocannon would run beside a server).
import { Worker } from 'node:worker_threads';

export interface RepeatedRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  warmup: number;
  count: number;
}

export interface RepeatedResult {
  /** Round-trip times in ms, in request order. */
  times: number[];
  /** Body of the last answer. */
  lastBody: string;
  statuses: number[];
}

// Plain JS run with `eval: true`: no loader needed inside the thread.
const source = `
const { parentPort, workerData: r } = require('node:worker_threads');
(async () => {
  const once = async () => {
    const s = performance.now();
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    const text = await res.text();
    return { ms: performance.now() - s, status: res.status, text };
  };
  for (let i = 0; i < r.warmup; i++) await once();
  const times = [], statuses = [];
  let lastBody = '';
  for (let i = 0; i < r.count; i++) {
    const a = await once();
    times.push(a.ms); statuses.push(a.status); lastBody = a.text;
  }
  parentPort.postMessage({ times, statuses, lastBody });
})().catch((err) => { throw err; });
`;

export function repeatRequestInThread(request: RepeatedRequest): Promise<RepeatedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: request });
    worker.once('message', (m: RepeatedResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`client thread exited with ${code}`));
      }
    });
  });
}
