// Camera pipeline benchmark on ../shared/faces/video/walkby.mp4 (640x480, 25 fps, 17 s):
//  1. capture alone, read as fast as possible (capture process -> server);
//  2. the whole pipeline (capture, engine, tracking, recognition, voting) as fast as possible;
//  3. the video played in real time as a camera with PREDICT_INTERVAL=1: frames dropped,
//     latency, and how long after a person appears the first `recognized` event comes.
// Prints a table, writes bench/results/camera.json.
//   npm run bench:camera   (env as the server: WORKER_POOL_SIZE, MODELS_DIR, ...; --no-realtime skips 3)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CameraInfo } from '../src/cameras/camera-info.js';
import type { FrameEvent, RecognizedEvent } from '../src/cameras/events.js';
import { CameraRunner } from '../src/cameras/camera-runner.js';
import { CameraCapture } from '../src/cameras/capture.js';
import { loadEngineConfigOrExit } from '../src/config.js';
import { cameraId } from '../src/domain/ids.js';
import { pipelineConfigFrom } from '../src/vision/pack-config.js';
import { realParts, type RealParts } from '../test/cameras/real-engine-fixture.js';
import { WALKBY_MP4, readWalkby } from '../test/cameras/walkby.js';

const OUT = fileURLToPath(new URL('./results/camera.json', import.meta.url));
const segments = readWalkby().filter((s) => s.people.length > 0);

async function captureOnly(): Promise<{ frames: number; seconds: number; fps: number }> {
  let frames = 0;
  let firstAt = 0;
  let done = false;
  const capture = new CameraCapture(
    { source: { kind: 'file', path: WALKBY_MP4, loop: false }, realtime: false, maxInFlight: 8 },
    {
      onFrame: (_frame, release) => {
        if (frames === 0) {
          firstAt = performance.now();
        }
        frames += 1;
        release();
      },
      onState: (s) => {
        done ||= s.kind === 'stopped';
      },
    },
  );
  capture.start();
  while (!done) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - firstAt) / 1000;
  await capture.stop();
  return { frames, seconds: round(seconds), fps: round(frames / seconds) };
}

interface PipelineRun {
  info: CameraInfo;
  frames: FrameEvent[];
  recognized: RecognizedEvent[];
  seconds: number;
}

async function pipeline(parts: RealParts, realtime: boolean): Promise<PipelineRun> {
  const frames: FrameEvent[] = [];
  const recognized: RecognizedEvent[] = [];
  const runner = new CameraRunner({
    cameraId: cameraId(1),
    source: { kind: 'file', path: WALKBY_MP4, loop: false },
    realtime,
    predictInterval: 1,
    engine: parts.engine,
    recognize: parts.recognize,
    onFrame: (e) => frames.push(e),
    onRecognized: (e) => recognized.push(e),
  });
  runner.start();
  while (runner.info().stoppedReason !== 'ended') {
    await new Promise((r) => setTimeout(r, 20));
  }
  await runner.idle();
  const info = runner.info();
  await runner.stop();
  const first = frames[0];
  const last = frames.at(-1);
  const seconds = first && last ? (last.timestamp + last.latencyMs - first.timestamp) / 1000 : 0;
  return { info, frames, recognized, seconds: round(seconds) };
}

/** ms from a person's first frame (their walkby.csv segment start) to their recognized event. */
function recognitionLatencies(run: PipelineRun, nameOf: RealParts['nameOf']): { name: string; segmentStartS: number; ms: number }[] {
  const first = run.frames[0];
  if (first === undefined) {
    return [];
  }
  // In real-time play the frame at media time t was captured at t0 + t.
  const t0 = first.timestamp - (first.mediaTimeMs ?? 0);
  return run.recognized.map((r) => {
    const segment = segments.find((s) => r.mediaTimeMs! >= s.startMs && r.mediaTimeMs! < s.endMs);
    const start = segment?.startMs ?? 0;
    return { name: nameOf.get(r.employeeId) ?? String(r.employeeId), segmentStartS: start / 1000, ms: round(r.at - (t0 + start)) };
  });
}

const round = (v: number): number => Math.round(v * 10) / 10;

const config = loadEngineConfigOrExit();
const pipelineConfig = pipelineConfigFrom(config);
const result: Record<string, unknown> = { machine: { cpus: cpus().length, loadavg: loadavg().map(round) } };

const capture = await captureOnly();
result.captureOnly = capture;
console.log(`capture only (as fast as possible): ${capture.frames} frames in ${capture.seconds} s = ${capture.fps} frames/s`);

if (!existsSync(pipelineConfig.pack.dir)) {
  console.log(`no models at ${pipelineConfig.pack.dir} (npm run models:fetch): engine runs skipped`);
} else {
  const parts = await realParts(config.WORKER_POOL_SIZE, pipelineConfig);
  // The fast run also warms the ONNX sessions up for the real-time one.
  const fast = await pipeline(parts, false);
  result.pipelineFast = {
    frames: fast.info.framesProcessed,
    seconds: fast.seconds,
    fps: round(fast.info.framesProcessed / fast.seconds),
    engineCalls: parts.engine.stats().tasksCompleted,
    names: fast.recognized.map((r) => parts.nameOf.get(r.employeeId)),
  };
  console.log(`pipeline (as fast as possible): ${fast.info.framesProcessed} frames in ${fast.seconds} s = ${round(fast.info.framesProcessed / fast.seconds)} frames/s`);
  console.log(`  recognized: ${fast.recognized.map((r) => parts.nameOf.get(r.employeeId)).join(', ')}`);
  if (!process.argv.includes('--no-realtime')) {
    const live = await pipeline(parts, true);
    const latencies = recognitionLatencies(live, parts.nameOf);
    result.realtime = {
      framesCaptured: live.info.framesCaptured,
      framesProcessed: live.info.framesProcessed,
      framesDropped: live.info.framesDropped,
      latencyMs: live.info.latencyMs,
      firstRecognizedMs: latencies,
    };
    console.log(
      `real time (25 fps, PREDICT_INTERVAL=1): ${live.info.framesProcessed}/${live.info.framesCaptured} frames processed, ${live.info.framesDropped} dropped, ` +
        `latency p50 ${round(live.info.latencyMs.p50 ?? NaN)} ms, p95 ${round(live.info.latencyMs.p95 ?? NaN)} ms`,
    );
    for (const l of latencies) {
      console.log(`  ${l.name.padEnd(16)} appears at ${l.segmentStartS} s, recognized after ${l.ms} ms`);
    }
  }
  await parts.engine.close();
}

mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`machine: ${cpus().length} cpus, load average ${loadavg().map(round).join(' ')} (results in bench/results/camera.json)`);
