// ID-badge style versions of the shared photos, made at test time (never stored): the picture
// cropped around the detected face so the face fills it, optionally shrunk to the 92x112 of the
// classic ID-photo sets and turned grey.
import sharp from 'sharp';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { readFacePhoto } from './seed-faces.js';

export interface BadgeOptions {
  /** Crop width as a fraction of the detected face box side (0.95: cheeks at the edges; 0.8: tighter). */
  tightness?: number;
  /** Resize to this size (e.g. [92, 112]); default: keep the crop's pixels. */
  size?: readonly [number, number];
  grey?: boolean;
  /** Keep only this part of the crop, from the top (0.5: eyes and above, no mouth). */
  keepTop?: number;
}

export async function badgePhoto(engine: FaceEngine, photo: string, options: BadgeOptions = {}): Promise<Buffer> {
  const bytes = readFacePhoto(photo);
  const analysis = await engine.analyze(bytes, { embed: false });
  const face = [...analysis.faces].sort((a, b) => b.quality.faceSize - a.quality.faceSize)[0];
  if (!face) {
    throw new Error(`no face in ${photo}`);
  }
  const [x1, y1, x2, y2] = face.box;
  const w = Math.min(x2 - x1, y2 - y1) * (options.tightness ?? 0.95);
  // ID photos are portrait, 92:112.
  const h = (w * 112) / 92;
  const left = Math.max(0, Math.round((x1 + x2) / 2 - w / 2));
  const top = Math.max(0, Math.round((y1 + y2) / 2 - h / 2));
  const width = Math.min(analysis.width - left, Math.round(w));
  const height = Math.round(Math.min(analysis.height - top, Math.round(h)) * (options.keepTop ?? 1));
  // Upright first (EXIF orientation, as the server decodes): the box is in upright pixels.
  let img = sharp(bytes).rotate().extract({ left, top, width, height });
  if (options.size) {
    img = img.resize(options.size[0], options.size[1], { fit: 'fill' });
  }
  if (options.grey) {
    img = img.greyscale();
  }
  return img.jpeg({ quality: 92 }).toBuffer();
}
