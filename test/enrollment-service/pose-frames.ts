// Enrollment frames from still photos. A kiosk sees the user turn their head;
// the shared set only has still photos. A turned head moves the nose relative
// to the eyes and mouth (that is what the engine's 5-point pose reads), so each
// frame warps the photo with a smooth local displacement centred on the nose:
// the nose region slides sideways (yaw) or up/down (pitch) while the eyes and
// mouth corners mostly stay. The photo is framed into a 640x480 "camera" frame
// with the face at a kiosk-like size and a little jitter per frame.
import sharp from 'sharp';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { FivePoints } from '../../src/vision/types.js';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

export interface SourcePhoto {
  rgb: Uint8Array;
  width: number;
  height: number;
  landmarks: FivePoints;
  /** Side of the detected face box in photo pixels. */
  faceSide: number;
}

/** Decodes a photo and locates its single (largest) face with the engine. */
export async function loadSourcePhoto(engine: FaceEngine, bytes: Uint8Array): Promise<SourcePhoto> {
  const analysis = await engine.analyze(bytes, { embed: false });
  const face = [...analysis.faces].sort((a, b) => b.box[2] - b.box[0] - (a.box[2] - a.box[0]))[0];
  if (face === undefined) {
    throw new Error('no face in source photo');
  }
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return {
    rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    landmarks: face.landmarks,
    faceSide: face.box[2] - face.box[0],
  };
}

export interface FrameSpec {
  /** Nose displacement in eye distances: +x = image right (positive yaw), -y = up (positive pitch). */
  noseX: number;
  noseY: number;
  /** Face box side in the frame, pixels (default 190). */
  faceSide?: number;
  /** Shift of the face in the frame, pixels. */
  offsetX?: number;
  offsetY?: number;
  /** Multiplies pixel values (lighting). */
  gain?: number;
  quality?: number;
}

/** One 640x480 JPEG of the photo's face with the nose displaced as `spec` says. */
export async function poseFrame(src: SourcePhoto, spec: FrameSpec): Promise<Uint8Array> {
  const [le, re, nose] = src.landmarks;
  const scale = (spec.faceSide ?? 190) / src.faceSide;
  const eyeDist = Math.hypot(re[0] - le[0], re[1] - le[1]) * scale;
  // Face centre (between eyes and nose) goes to the frame centre plus the offset.
  const fx = (le[0] + re[0] + nose[0]) / 3;
  const fy = (le[1] + re[1] + nose[1]) / 3;
  const cx = FRAME_WIDTH / 2 + (spec.offsetX ?? 0);
  const cy = FRAME_HEIGHT / 2 + (spec.offsetY ?? 0);
  const nx = cx + (nose[0] - fx) * scale;
  const ny = cy + (nose[1] - fy) * scale;
  const dx = spec.noseX * eyeDist;
  const dy = spec.noseY * eyeDist;
  const sigma = 0.42 * eyeDist;
  const inv2s2 = 1 / (2 * sigma * sigma);
  const gain = spec.gain ?? 1;
  const out = new Uint8Array(FRAME_WIDTH * FRAME_HEIGHT * 3);
  const { rgb, width: w, height: h } = src;
  for (let v = 0; v < FRAME_HEIGHT; v++) {
    for (let u = 0; u < FRAME_WIDTH; u++) {
      const g = Math.exp(-((u - nx) ** 2 + (v - ny) ** 2) * inv2s2);
      const x = Math.min(w - 1.001, Math.max(0, fx + (u - dx * g - cx) / scale));
      const y = Math.min(h - 1.001, Math.max(0, fy + (v - dy * g - cy) / scale));
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const ax = x - x0;
      const ay = y - y0;
      const i00 = (y0 * w + x0) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + w * 3;
      const i11 = i01 + 3;
      const o = (v * FRAME_WIDTH + u) * 3;
      for (let c = 0; c < 3; c++) {
        const top = rgb[i00 + c]! * (1 - ax) + rgb[i10 + c]! * ax;
        const bottom = rgb[i01 + c]! * (1 - ax) + rgb[i11 + c]! * ax;
        out[o + c] = Math.min(255, (top * (1 - ay) + bottom * ay) * gain);
      }
    }
  }
  const jpeg = await sharp(out, { raw: { width: FRAME_WIDTH, height: FRAME_HEIGHT, channels: 3 } })
    .jpeg({ quality: spec.quality ?? 88 })
    .toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}

export interface PoseTarget {
  yaw: number;
  pitch: number;
}

interface Measured {
  yaw: number;
  pitch: number;
}

async function measure(engine: FaceEngine, frame: Uint8Array): Promise<Measured | undefined> {
  const a = await engine.analyze(frame, { embed: false });
  const f = a.faces[0];
  return f && { yaw: f.quality.yaw, pitch: f.quality.pitch };
}

/**
 * Frames of a guided head turn: `perSector` frames looking straight, then
 * `perSector` at each of the eight ring directions (magnitude `magnitude`°,
 * pitch scaled down by the ring's pitch gain), relative to the photo's own
 * pitch (the session calibrates its neutral pitch the same way). Each
 * direction's warp is found by measuring the engine's pose once and correcting
 * once, so the frames really read as turned heads; jittered copies (shift,
 * light) fill each direction.
 */
export async function headTurnFrames(
  engine: FaceEngine,
  photo: Uint8Array,
  opts: { perSector?: number; magnitude?: number; sectors?: number } = {},
): Promise<Uint8Array[]> {
  const perSector = opts.perSector ?? 3;
  const magnitude = opts.magnitude ?? 22;
  const src = await loadSourcePhoto(engine, photo);
  const [base, px, py] = await Promise.all([
    poseFrame(src, { noseX: 0, noseY: 0 }).then((f) => measure(engine, f)),
    poseFrame(src, { noseX: 0.3, noseY: 0 }).then((f) => measure(engine, f)),
    poseFrame(src, { noseX: 0, noseY: -0.3 }).then((f) => measure(engine, f)),
  ]);
  if (!base || !px || !py) {
    throw new Error('face lost while calibrating the warp');
  }
  const gx = (px.yaw - base.yaw) / 0.3 || 50;
  const gy = (py.pitch - base.pitch) / -0.3 || -45;
  const targets: PoseTarget[] = [{ yaw: 0, pitch: base.pitch }];
  const ring = opts.sectors ?? 8;
  for (let k = 0; k < ring; k++) {
    const a = (k * 45 * Math.PI) / 180;
    targets.push({ yaw: magnitude * Math.cos(a), pitch: base.pitch + (magnitude * Math.sin(a)) / 1.25 });
  }
  const warps = await Promise.all(
    targets.map(async (t) => {
      let nx = (t.yaw - base.yaw) / gx;
      let ny = (t.pitch - base.pitch) / gy;
      for (let step = 0; step < 1; step++) {
        const m = await measure(engine, await poseFrame(src, { noseX: nx, noseY: ny }));
        if (m) {
          nx += (t.yaw - m.yaw) / gx;
          ny += (t.pitch - m.pitch) / gy;
        }
      }
      return { nx, ny };
    }),
  );
  const frames: Uint8Array[] = [];
  for (const w of warps) {
    for (let j = 0; j < perSector; j++) {
      frames.push(
        await poseFrame(src, {
          noseX: w.nx,
          noseY: w.ny,
          offsetX: (j % 3) * 7 - 7,
          offsetY: ((j + 1) % 3) * 5 - 5,
          gain: 0.94 + 0.05 * (j % 3),
        }),
      );
    }
  }
  return frames;
}
