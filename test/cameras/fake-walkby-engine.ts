// A stand-in face engine that "sees" who walkby.csv says is in view at each
// frame's media time: boxes left to right, one embedding direction per person,
// with bad frames mixed in. Lets the runner be tested on the real video and the
// real capture without the ONNX models.
import { employeeId, modelPackId, type EmployeeId } from '../../src/domain/ids.js';
import type { CapturedFrame } from '../../src/cameras/capture.js';
import type { FaceDecision, FaceToRecognize } from '../../src/cameras/face-decision.js';
import type { AnalyzeOptions, DetectedFace, FaceQuality, FrameAnalysis } from '../../src/vision/types.js';
import { peopleAt, readWalkby } from './walkby.js';

export const PEOPLE = ['obama', 'biden', 'kit_harington', 'rose_leslie', 'alex_lacamoire'] as const;
export const EMPLOYEE_OF: Record<string, EmployeeId> = Object.fromEntries(PEOPLE.map((p, i) => [p, employeeId(i + 1)]));
export const NAME_OF = new Map<number, string>(PEOPLE.map((p, i) => [i + 1, p]));
const DIM = 16;

const quality: FaceQuality = { sharpness: 200, brightness: 120, faceSize: 120, yaw: 0, pitch: 0, roll: 0, score: 0.9, issues: [] };

function direction(index: number, jitter: number): Float32Array {
  const v = new Float32Array(DIM);
  v[index] = 1;
  for (let i = 0; i < DIM; i += 1) {
    v[i] = v[i]! + 0.08 * Math.sin(jitter * 13.7 + i * 3.1);
  }
  return v;
}

export interface FakeEngineOptions {
  /** Every Nth embedded face gets a wrong person's embedding (a bad frame). 0: never. */
  wrongEvery?: number;
  /** Every Nth embedded face gets an embedding like nobody's (blur): recognized as unknown. 0: never. */
  blurEvery?: number;
  /** Simulated engine time per call, ms. */
  delayMs?: number;
  /** People shown as photos: P(live) 0.004 (others 0.9), when liveness is asked; every 5th of their frames 0.3. */
  spoofed?: readonly string[];
}

export class FakeWalkbyEngine {
  readonly segments = readWalkby();
  calls = { detectOnly: 0, embed: 0 };
  #embedded = 0;

  constructor(private readonly options: FakeEngineOptions = {}) {}

  async analyzeRaw(frame: CapturedFrame, options: AnalyzeOptions = {}): Promise<FrameAnalysis> {
    const embed = options.embed ?? true;
    if (embed) {
      this.calls.embed += 1;
    } else {
      this.calls.detectOnly += 1;
    }
    await new Promise((r) => setTimeout(r, this.options.delayMs ?? 2));
    const ms = frame.mediaTimeMs ?? 0;
    const people = peopleAt(this.segments, ms);
    const faces: DetectedFace[] = people.map((name, i) => {
      // Centred row of 120 px faces, drifting slowly (the video's zoom).
      const x = 320 - people.length * 125 + i * 250 + (ms % 3000) / 100;
      const y = 150 + (ms % 3000) / 200;
      const face: DetectedFace = {
        box: [x, y, x + 120, y + 120],
        score: 0.95,
        landmarks: [
          [x + 40, y + 50],
          [x + 80, y + 50],
          [x + 60, y + 70],
          [x + 45, y + 90],
          [x + 75, y + 90],
        ],
        quality,
      };
      if (embed) {
        this.#embedded += 1;
        const n = this.#embedded;
        const person = PEOPLE.indexOf(name as (typeof PEOPLE)[number]);
        const { wrongEvery = 0, blurEvery = 0 } = this.options;
        if (wrongEvery > 0 && n % wrongEvery === 0) {
          face.embedding = direction((person + 1) % PEOPLE.length, n);
        } else if (blurEvery > 0 && n % blurEvery === 0) {
          face.embedding = direction(DIM - 1, n);
        } else {
          face.embedding = direction(person, n);
        }
        face.alignedJpeg = new Uint8Array([0xff, 0xd8, person, 0xff, 0xd9]);
        if (options.liveness) {
          // A photo scores low, with the odd frame that fools the model: the track's median decides.
          face.liveness = this.options.spoofed?.includes(name) ? (n % 5 === 0 ? 0.3 : 0.004) : 0.9;
        }
      }
      return face;
    });
    return { width: frame.cols, height: frame.rows, modelId: modelPackId('fake'), faces, timings: {} };
  }
}

/** Cosine against each person's direction, threshold 0.45, like the real recognizer's shape. */
export function fakeRecognize(faces: readonly FaceToRecognize[]): FaceDecision[] {
  return faces.map(({ embedding }) => {
    let best = -1;
    let score = -Infinity;
    const norm = Math.hypot(...embedding);
    for (let p = 0; p < PEOPLE.length; p += 1) {
      const s = embedding[p]! / norm;
      if (s > score) {
        score = s;
        best = p;
      }
    }
    return score >= 0.45
      ? { kind: 'recognized', employeeId: employeeId(best + 1), confidence: score, method: 'cosine' }
      : { kind: 'unknown', reason: 'below_threshold', confidence: score };
  });
}
