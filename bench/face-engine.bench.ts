// Face engine benchmark: per-stage latency (in-process, one thread), end-to-end
// latency through the worker pool for a 640x480 JPEG with one and two faces,
// the cost of passive liveness per recognized face, and pool throughput over
// the walk-by video (detection on every frame, every face embedded). Prints a
// table, writes bench/results/face-engine.json.
//   npm run bench   (env: WORKER_POOL_SIZE, WORKER_INTRA_OP_THREADS, ... as the server)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadEngineConfigOrExit } from '../src/config.js';
import { loadOpenCv } from '../src/cameras/opencv.js';
import type { RawFrame } from '../src/engine/face-engine.js';
import { FacePipeline } from '../src/engine/face-pipeline.js';
import { PoolFaceEngine } from '../src/engine/pool-face-engine.js';
import { decodeImage } from '../src/vision/image-decode.js';
import { LivenessModel } from '../src/vision/liveness-model.js';
import { modelPathIn, readManifest } from '../src/vision/model-manifest.js';
import { pipelineConfigFrom } from '../src/vision/pack-config.js';
import type { FrameAnalysis } from '../src/vision/types.js';

const FACES = fileURLToPath(new URL('../../shared/faces/', import.meta.url));
const OUT = fileURLToPath(new URL('./results/face-engine.json', import.meta.url));
const ITER = 60;
const WARMUP = 5;
const PAIRS = 150;

const loadAtStart = Math.round(loadavg()[0]! * 100) / 100;
const config = loadEngineConfigOrExit();
const pipelineConfig = pipelineConfigFrom(config);

/** min: the run least disturbed by other load on the machine. */
interface Stats {
  p50: number;
  p95: number;
  min: number;
  mean: number;
  n: number;
}
function summary(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { p50: r(at(0.5)), p95: r(at(0.95)), min: r(s[0] ?? Number.NaN), mean: r(s.reduce((a, b) => a + b, 0) / s.length), n: s.length };
}

/** A 640x480 JPEG made from a shared photo, letterboxed (no face cut off). */
async function jpeg640(file: string): Promise<Uint8Array> {
  return sharp(readFileSync(`${FACES}${file}`))
    .resize(640, 480, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Every frame of the video as packed BGR, read before timing (OpenCV only in this main thread). */
async function readVideo(path: string): Promise<RawFrame[]> {
  const cv = loadOpenCv();
  const cap = new cv.VideoCapture(path, cv.CAP_FFMPEG);
  const frames: RawFrame[] = [];
  for (let m = cap.read(); !m.empty; m = cap.read()) {
    frames.push({ data: new Uint8Array(m.getData()), rows: m.rows, cols: m.cols });
  }
  cap.release();
  return frames;
}

const oneFace = await jpeg640('probes/obama-portrait-1080p.jpg');
const twoFaces = await jpeg640('probes/obama-biden-1.jpg');

// 1. Per-stage latency, in-process, one pipeline (as one worker runs it).
const pipeline = await FacePipeline.create(pipelineConfig);
const stages: Record<string, number[]> = {};
const inProcess: number[] = [];
/** CPU milliseconds of this process (all threads) per call: unlike wall time, barely moved by other load. */
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const cpuPlain: number[] = [];
for (let i = 0; i < ITER + WARMUP; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await pipeline.analyzeImage(oneFace);
  if (i >= WARMUP) {cpuPlain.push(cpuMs(c));}
  const dt = performance.now() - t;
  if (r.faces.length !== 1) {throw new Error(`one-face fixture gave ${r.faces.length} faces`);}
  if (i < WARMUP) {continue;}
  inProcess.push(dt);
  for (const [k, v] of Object.entries(r.timings)) {(stages[k] ??= []).push(v);}
}
// 1b. The same with passive liveness (run before the embedder; its own time, crop included, is stage
// 'liveness'). Each call follows a call without it: the median of the paired CPU differences is the
// CPU liveness adds per face, barely moved by load drift.
const livenessStage: number[] = [];
const inProcessLive: number[] = [];
const cpuLive: number[] = [];
const cpuAdded: number[] = [];
if (pipeline.hasLiveness) {
  const plainCall = async (): Promise<number> => {
    const c0 = process.cpuUsage();
    await pipeline.analyzeImage(oneFace);
    return cpuMs(c0);
  };
  for (let i = 0; i < PAIRS + WARMUP; i++) {
    // Which call goes first alternates, so neither is favoured by what ran just before.
    const before = i % 2 === 0 ? await plainCall() : undefined;
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await pipeline.analyzeImage(oneFace, { liveness: true });
    const liveCpu = cpuMs(c);
    const dt = performance.now() - t;
    const plainCpu = before ?? (await plainCall());
    if (i >= WARMUP) {
      cpuLive.push(liveCpu);
      cpuAdded.push(liveCpu - plainCpu);
    }
    if (r.faces[0]?.liveness === undefined) {throw new Error('no liveness score');}
    if (i < WARMUP) {continue;}
    inProcessLive.push(dt);
    livenessStage.push(r.timings.liveness ?? Number.NaN);
  }
}
// 1c. Liveness of one face alone (crop, tensor and model: all it adds to a recognized face): the
// file as shipped against the derived file the workers load (depthwise channels padded, PRelu as 1x1
// depthwise convs: src/vision/onnx-conv-rewrites.ts), with 1 intra-op thread and with the workers'
// count. Wall and CPU ms per face (nothing else runs in this process meanwhile).
const modelRuns: Record<string, { wallMs: Stats; cpuMs: Stats }> = {};
const livenessSpec = pipelineConfig.livenessPackDir === undefined ? undefined : readManifest(pipelineConfig.livenessPackDir).models.liveness;
if (pipelineConfig.livenessPackDir !== undefined && livenessSpec) {
  const image = await decodeImage(oneFace, pipelineConfig.maxImagePixels);
  const face = (await pipeline.analyzeRaster(image, { embed: false })).faces[0]!;
  const shipped = `${pipelineConfig.livenessPackDir}/${livenessSpec.file}`;
  const derived = modelPathIn(pipelineConfig.livenessPackDir, livenessSpec);
  const threads = [...new Set([1, config.WORKER_INTRA_OP_THREADS])];
  for (const [label, file] of [['shipped', shipped], ['derived', derived]] as const) {
    for (const n of threads) {
      const model = await LivenessModel.create(file, n);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < 3 * ITER + WARMUP; i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        await model.score(image, [face.box]);
        if (i >= WARMUP) {
          cpu.push(cpuMs(c));
          wall.push(performance.now() - t);
        }
      }
      await model.close();
      modelRuns[`${label} model, ${n} thread${n > 1 ? 's' : ''}`] = { wallMs: summary(wall), cpuMs: summary(cpu) };
    }
  }
}
await pipeline.close();

// 2. End-to-end latency through the pool (bytes in -> faces with embeddings out), one request at a time.
const engine = await PoolFaceEngine.create({
  pipeline: pipelineConfig,
  workers: config.WORKER_POOL_SIZE,
  queueLimit: Math.max(config.WORKER_QUEUE_LIMIT, 64),
  taskTimeoutMs: config.WORKER_TASK_TIMEOUT_MS,
});
async function e2e(bytes: Uint8Array, faces: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ITER + WARMUP; i++) {
    const t = performance.now();
    const r = await engine.analyze(bytes);
    const dt = performance.now() - t;
    if (r.faces.length !== faces || r.faces.some((f) => !f.embedding)) {
      throw new Error(`expected ${faces} embedded faces, got ${r.faces.length}`);
    }
    if (i >= WARMUP) {out.push(dt);}
  }
  return out;
}
const e2eOne = await e2e(oneFace, 1);
const e2eTwo = await e2e(twoFaces, 2);

// 2b. What passive liveness adds per recognized face, end to end through the pool: the same request
// without and with it, alternating (load drift hits both alike); the figure is the median of the
// paired differences divided by the faces. Target: <= 3 ms (issue 15).
async function livenessCost(bytes: Uint8Array, faces: number): Promise<{ without: number[]; with: number[]; addedPerFace: number[] }> {
  const out = { without: [] as number[], with: [] as number[], addedPerFace: [] as number[] };
  // More pairs than elsewhere: a difference of two noisy latencies needs them.
  const plainCall = async (): Promise<number> => {
    const t0 = performance.now();
    await engine.analyze(bytes);
    return performance.now() - t0;
  };
  for (let i = 0; i < PAIRS + WARMUP; i++) {
    // Which call goes first alternates, so neither is favoured by what ran just before.
    const before = i % 2 === 0 ? await plainCall() : undefined;
    const t = performance.now();
    const r = await engine.analyze(bytes, { liveness: true });
    const live = performance.now() - t;
    const plain = before ?? (await plainCall());
    if (r.faces.length !== faces || r.faces.some((f) => f.liveness === undefined)) {
      throw new Error(`expected ${faces} faces with liveness, got ${r.faces.length}`);
    }
    if (i >= WARMUP) {
      out.without.push(plain);
      out.with.push(live);
      out.addedPerFace.push((live - plain) / faces);
    }
  }
  return out;
}
const livenessOne = pipelineConfig.livenessPackDir === undefined ? undefined : await livenessCost(oneFace, 1);
const livenessTwo = pipelineConfig.livenessPackDir === undefined ? undefined : await livenessCost(twoFaces, 2);

// 3. Throughput over the walk-by video: every frame detected, every face embedded.
const frames = await readVideo(`${FACES}video/walkby.mp4`);
const inFlight = 2 * config.WORKER_POOL_SIZE;
let next = 0;
let faceCount = 0;
let framesWithFaces = 0;
const results: FrameAnalysis[] = [];
const t0 = performance.now();
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < frames.length) {
      const i = next++;
      const r = await engine.analyzeRaw(frames[i]!);
      results[i] = r;
      faceCount += r.faces.length;
      if (r.faces.length > 0) {framesWithFaces++;}
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
const stats = engine.stats();
await engine.close();

const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg1mAtStart: loadAtStart, loadavg1m: Math.round(loadavg()[0]! * 100) / 100 },
  config: {
    modelPack: config.MODEL_PACK,
    workers: config.WORKER_POOL_SIZE,
    intraOpThreads: config.WORKER_INTRA_OP_THREADS,
    detectionThreshold: config.DETECTION_THRESHOLD,
  },
  stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summary(v)])),
  inProcessOneFaceMs: summary(inProcess),
  liveness: livenessOne && livenessTwo
    ? {
        stageMs: summary(livenessStage),
        inProcessOneFaceWithLivenessMs: summary(inProcessLive),
        cpuMsPerOneFaceCall: { without: summary(cpuPlain), with: summary(cpuLive), addedPaired: summary(cpuAdded) },
        modelAloneRuns: modelRuns,
        oneFace: { withoutMs: summary(livenessOne.without), withMs: summary(livenessOne.with), addedPerFaceMs: summary(livenessOne.addedPerFace) },
        twoFaces: { withoutMs: summary(livenessTwo.without), withMs: summary(livenessTwo.with), addedPerFaceMs: summary(livenessTwo.addedPerFace) },
      }
    : null,
  endToEndPoolMs: { oneFace640x480: summary(e2eOne), twoFaces640x480: summary(e2eTwo) },
  video: {
    file: 'walkby.mp4',
    frames: frames.length,
    seconds: Math.round(seconds * 1000) / 1000,
    framesPerSecond: Math.round((frames.length / seconds) * 10) / 10,
    facesEmbedded: faceCount,
    framesWithFaces,
    inFlight,
  },
  pool: stats,
  targets: { endToEndOneFaceP50Ms: 20, videoFramesPerSecond: 60, livenessAddedPerFaceP50Ms: 3 },
};
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);

type Row = [string, Stats];
const rows: Row[] = [
  ...Object.entries(report.stagesMs).map(([k, v]): Row => [`stage ${k}`, v]),
  ['in-process total, 1 face', report.inProcessOneFaceMs],
  ['pool end-to-end, 1 face 640x480', report.endToEndPoolMs.oneFace640x480],
  ['pool end-to-end, 2 faces 640x480', report.endToEndPoolMs.twoFaces640x480],
  ...(report.liveness
    ? ([
        ['liveness stage, crop + model (in-proc.)', report.liveness.stageMs],
        ['in-process total, 1 face + liveness', report.liveness.inProcessOneFaceWithLivenessMs],
        ['CPU ms per 1-face call, without', report.liveness.cpuMsPerOneFaceCall.without],
        ['CPU ms per 1-face call, with liveness', report.liveness.cpuMsPerOneFaceCall.with],
        ['CPU ms liveness adds per face (paired)', report.liveness.cpuMsPerOneFaceCall.addedPaired],
        ['pool 1 face, without liveness (paired)', report.liveness.oneFace.withoutMs],
        ['pool 1 face, with liveness (paired)', report.liveness.oneFace.withMs],
        ...Object.entries(report.liveness.modelAloneRuns).flatMap(([k, v]): Row[] => [
          [`1 face, ${k}: wall`, v.wallMs],
          [`1 face, ${k}: CPU`, v.cpuMs],
        ]),
        ['liveness added per face, 1 face', report.liveness.oneFace.addedPerFaceMs],
        ['liveness added per face, 2 faces', report.liveness.twoFaces.addedPerFaceMs],
      ] as Row[])
    : []),
];
const line = (a: string, ...v: string[]): string => `${a.padEnd(40)}${v.map((x) => x.padStart(9)).join(' ')}`;
process.stdout.write(
  [
    `face engine benchmark (${report.config.workers} workers x ${report.config.intraOpThreads} thread, pack ${report.config.modelPack}, load ${report.machine.loadavg1mAtStart} at start, ${report.machine.loadavg1m} at end)`,
    line('latency (ms)', 'p50', 'p95', 'min'),
    // A difference's smallest sample is noise (it can be negative): no min for those rows.
    ...rows.map(([label, v]) => line(label, `${v.p50}`, `${v.p95}`, /added|adds/.test(label) ? '' : `${v.min}`)),
    `walk-by video: ${report.video.frames} frames in ${report.video.seconds} s = ${report.video.framesPerSecond} frames/s, ` +
      `${report.video.facesEmbedded} faces embedded (${report.video.framesWithFaces} frames with faces)`,
    `written to ${OUT}`,
  ].join('\n') + '\n',
);
