// Golden tests of the liveness preprocessing: where the crop lies (square box
// x2.7, same centre, lowered and shifted to stay inside like minivision's
// CropImage), how it is resized (OpenCV INTER_LINEAR), and the tensor layout
// (NCHW, raw bytes, B G R planes whatever the raster's order).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOpenCv } from '../../src/cameras/opencv.js';
import { livenessCrop, livenessCropRect, resizeRect } from '../../src/vision/liveness-crop.js';
import { fillLivenessTensor, liveProbability, softmax } from '../../src/vision/liveness-model.js';
import { makeRaster, type Raster } from '../../src/vision/raster.js';
import { FACES_DIR } from '../helpers/shared-faces.js';

describe('livenessCropRect', () => {
  it('is 2.7x the square box (side = detector height), same centre, when it fits', () => {
    // A 40 wide, 100 high detector box centred at (1000, 700) in a 2000x1500 image.
    const r = livenessCropRect([980, 650, 1020, 750], 2000, 1500);
    // Square box [950, 650, 1050, 750] -> 270 px from 865 to 1135 (truncated, both ends kept).
    expect(r).toEqual({ x: 865, y: 565, width: 271, height: 271 });
  });

  it('keeps the side and shifts the crop inside at the left/top and right/bottom edges', () => {
    expect(livenessCropRect([10, 20, 110, 120], 1000, 1000)).toEqual({ x: 0, y: 0, width: 271, height: 271 });
    // Right/bottom: the last pixel is width - 1, as in the reference.
    expect(livenessCropRect([900, 880, 990, 990], 1000, 1000)).toEqual({ x: 702, y: 702, width: 298, height: 298 });
  });

  it('lowers the scale until the crop fits in the image (never pads)', () => {
    // 640x480 camera frame, face 240 high: 2.7x = 648 > 479, so the crop is the full height.
    const r = livenessCropRect([260, 120, 380, 360], 640, 480);
    expect(r.height).toBe(480);
    expect(r.width).toBe(480);
    expect(r.y).toBe(0);
    expect(r.x).toBe(80); // centred on x = 320: 320 - 239.5 = 80.5 -> 80
    // A face bigger than the frame: the crop is still inside.
    const big = livenessCropRect([-50, -100, 700, 600], 640, 480);
    expect(big.x).toBeGreaterThanOrEqual(0);
    expect(big.y).toBe(0);
    expect(big.x + big.width).toBeLessThanOrEqual(640);
    expect(big.height).toBe(480);
  });

  it('refuses boxes without height and images too small', () => {
    expect(() => livenessCropRect([10, 10, 20, 10], 100, 100)).toThrow(/no height/);
    expect(() => livenessCropRect([0, 0, 1, 1], 1, 1)).toThrow(/too small/);
  });
});

describe('resizeRect', () => {
  it('puts the top-left of the rectangle at the top-left of the crop', () => {
    const img = makeRaster(300, 300, 'rgb', 0);
    // A 20x20 white square at the rectangle's top-left corner (rect starts at 50, 60).
    for (let y = 60; y < 80; y++) {
      for (let x = 50; x < 70; x++) {
        img.data.fill(255, (y * 300 + x) * 3, (y * 300 + x) * 3 + 3);
      }
    }
    const crop = resizeRect(img, { x: 50, y: 60, width: 200, height: 200 }, 100);
    expect(crop.data[(2 * 100 + 2) * 3]).toBe(255);
    expect(crop.data[(12 * 100 + 12) * 3]).toBe(0);
    expect(crop.data[(90 * 100 + 90) * 3]).toBe(0);
  });

  it('matches OpenCV INTER_LINEAR (what the reference resizes with) within one level on a real photo', () => {
    const cv = loadOpenCv();
    const mat = cv.imdecode(readFileSync(`${FACES_DIR}antispoof/live-1.jpg`));
    const img: Raster = { data: new Uint8Array(mat.getData()), width: mat.cols, height: mat.rows, order: 'bgr' };
    for (const rect of [
      { x: 0, y: 40, width: 480, height: 480 }, // 3.75x down
      { x: 100, y: 100, width: 90, height: 90 }, // 0.7x (up)
      { x: 13, y: 7, width: 301, height: 297 },
    ]) {
      const ours = resizeRect(img, rect, 128);
      const ref = new Uint8Array(
        mat.getRegion(new cv.Rect(rect.x, rect.y, rect.width, rect.height)).resize(128, 128, 0, 0, cv.INTER_LINEAR).getData(),
      );
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - ours.data[i]!));
      }
      expect(maxDiff, JSON.stringify(rect)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a rectangle outside the image', () => {
    expect(() => resizeRect(makeRaster(10, 10, 'rgb'), { x: 5, y: 0, width: 6, height: 5 })).toThrow(/outside/);
  });
});

describe('liveness tensor', () => {
  /** Pixel (x, y) holds R = x, G = y, B = 200 + (x + y) % 50, stored in `order`. */
  function synthetic(order: Raster['order']): Raster {
    const img = makeRaster(128, 128, order);
    for (let y = 0; y < 128; y++) {
      for (let x = 0; x < 128; x++) {
        const [r, g, b] = [x, y, 200 + ((x + y) % 50)];
        img.data.set(order === 'rgb' ? [r, g, b] : [b, g, r], (y * 128 + x) * 3);
      }
    }
    return img;
  }

  it('is NCHW with planes B, G, R of the raw 0..255 values, from RGB and BGR rasters alike', () => {
    for (const order of ['rgb', 'bgr'] as const) {
      const t = new Float32Array(3 * 128 * 128);
      fillLivenessTensor(synthetic(order), t);
      const at = (c: number, y: number, x: number) => t[c * 128 * 128 + y * 128 + x];
      expect(at(0, 5, 17), order).toBe(200 + 22); // B
      expect(at(1, 5, 17), order).toBe(5); // G = y
      expect(at(2, 5, 17), order).toBe(17); // R = x
      expect(at(2, 127, 0), order).toBe(0);
      expect(at(1, 127, 0), order).toBe(127);
    }
  });

  it('keeps the colours of a crop cut from an RGB photo in BGR planes', () => {
    const img = makeRaster(640, 480, 'rgb');
    for (let i = 0; i < img.data.length; i += 3) {
      img.data.set([250, 128, 3], i); // orange: R high, B low
    }
    const t = new Float32Array(3 * 128 * 128);
    fillLivenessTensor(livenessCrop(img, [260, 120, 380, 360]), t);
    expect(t[0]).toBe(3);
    expect(t[128 * 128]).toBe(128);
    expect(t[2 * 128 * 128]).toBe(250);
  });

  it('refuses a tensor too small for the crop', () => {
    expect(() => fillLivenessTensor(synthetic('rgb'), new Float32Array(100))).toThrow(RangeError);
  });
});

describe('softmax score', () => {
  it('is P(class 0) of the three logits, stable for large logits', () => {
    expect(softmax([0, 0, 0]).map((p) => p.toFixed(4))).toEqual(['0.3333', '0.3333', '0.3333']);
    expect(liveProbability([1000, 0, 0])).toBeCloseTo(1, 10);
    expect(liveProbability([0, 1000, 0])).toBeCloseTo(0, 10);
    expect(liveProbability([Math.log(2), 0, 0])).toBeCloseTo(0.5, 10);
    expect(() => liveProbability([1, 2])).toThrow(/3/);
  });
});
