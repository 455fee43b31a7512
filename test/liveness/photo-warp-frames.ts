// Camera frames of a printed photo held in front of a kiosk and turned, flat
// or bent: the attack the head-turn challenge must refuse. The photo (one of
// ../shared/faces) is printed so its face is ~190 px wide at the camera's
// distance, placed on a sheet (flat, or curved around a vertical or
// horizontal axis), turned about the face centre and projected through the
// same 640x480 pinhole camera as head-model.ts. Rendered by forward-mapping
// every sheet pixel (2x2 samples), so any sheet shape is one formula.
import sharp from 'sharp';
import type { FacepluginBackend } from '../../src/vision/faceplugin-backend.js';
import type { Raster } from '../../src/vision/raster.js';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;
const FOCAL = 800;
const FACE_PX = 190;

export interface Sheet {
  /** The print, RGB, sized so the face is FACE_PX wide; (cx, cy) = face centre on it. */
  rgb: Uint8Array;
  width: number;
  height: number;
  cx: number;
  cy: number;
}

export type Shape =
  | { kind: 'flat' }
  /** Radius in sheet pixels (the face is 190 px wide: 200 is a strongly bent sheet). */
  | { kind: 'bent-vertical'; radius: number }
  | { kind: 'bent-horizontal'; radius: number };

/** Prints `photo`: finds its largest face with the real detector and scales the photo around it. */
export async function printPhoto(backend: FacepluginBackend, photo: Uint8Array): Promise<Sheet> {
  const { data, info } = await sharp(photo).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raster: Raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, order: 'rgb' };
  const faces = await backend.detect(raster, {});
  const face = faces.sort((a, b) => b.box[3] - b.box[1] - (a.box[3] - a.box[1]))[0];
  if (!face) {
    throw new Error('no face in the photo to print');
  }
  const k = FACE_PX / (face.squareBox[2] - face.squareBox[0]);
  const width = Math.round(info.width * k);
  const height = Math.round(info.height * k);
  const resized = await sharp(raster.data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .resize(width, height, { kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return {
    rgb: new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength),
    width,
    height,
    cx: ((face.squareBox[0] + face.squareBox[2]) / 2) * k,
    cy: ((face.squareBox[1] + face.squareBox[3]) / 2) * k,
  };
}

/** One 640x480 RGB frame of the sheet bent as `shape` and turned by `yaw` (and `pitch`) degrees. */
export function renderSheet(sheet: Sheet, shape: Shape, yaw: number, pitch = 0, shiftX = 0): Raster {
  const sum = new Float32Array(FRAME_WIDTH * FRAME_HEIGHT * 3);
  const count = new Uint16Array(FRAME_WIDTH * FRAME_HEIGHT);
  const a = (yaw * Math.PI) / 180;
  const b = (pitch * Math.PI) / 180;
  const [ca, sa, cb, sb] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b)];
  const { rgb, width, height, cx, cy } = sheet;
  for (let sy = 0; sy < height * 2; sy++) {
    const v = (sy + 0.5) / 2 - cy;
    if (Math.abs(v) > 420) {
      continue;
    }
    for (let sx = 0; sx < width * 2; sx++) {
      const u = (sx + 0.5) / 2 - cx;
      if (Math.abs(u) > 520) {
        continue;
      }
      let X = u;
      let Y = v;
      let Z = 0;
      if (shape.kind === 'bent-vertical') {
        X = shape.radius * Math.sin(u / shape.radius);
        Z = -shape.radius * (1 - Math.cos(u / shape.radius));
      } else if (shape.kind === 'bent-horizontal') {
        Y = shape.radius * Math.sin(v / shape.radius);
        Z = -shape.radius * (1 - Math.cos(v / shape.radius));
      }
      // Yaw about the vertical axis, pitch about the horizontal one, through the face centre.
      const x1 = X * ca + Z * sa;
      const z1 = -X * sa + Z * ca;
      const y2 = Y * cb - z1 * sb;
      const z2 = Y * sb + z1 * cb;
      const depth = FOCAL - z2;
      const ox = Math.floor(FRAME_WIDTH / 2 + shiftX + (FOCAL * x1) / depth);
      const oy = Math.floor(FRAME_HEIGHT / 2 + (FOCAL * y2) / depth);
      if (ox < 0 || oy < 0 || ox >= FRAME_WIDTH || oy >= FRAME_HEIGHT) {
        continue;
      }
      const si = ((sy >> 1) * width + (sx >> 1)) * 3;
      const o = oy * FRAME_WIDTH + ox;
      sum[3 * o]! += rgb[si]!;
      sum[3 * o + 1]! += rgb[si + 1]!;
      sum[3 * o + 2]! += rgb[si + 2]!;
      count[o]!++;
    }
  }
  const out = new Uint8Array(FRAME_WIDTH * FRAME_HEIGHT * 3);
  for (let o = 0; o < count.length; o++) {
    const n = count[o]!;
    for (let c = 0; c < 3; c++) {
      // Outside the sheet: a dim wall with a little texture (the detector never sees a flat void).
      out[3 * o + c] = n > 0 ? Math.round(sum[3 * o + c]! / n) : 70 + ((o * 7 + c * 13) % 23);
    }
  }
  return { data: out, width: FRAME_WIDTH, height: FRAME_HEIGHT, order: 'rgb' };
}

export async function toJpeg(frame: Raster): Promise<Uint8Array> {
  const buf = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
