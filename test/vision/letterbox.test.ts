import { describe, expect, it } from 'vitest';
import { computeLetterbox, unletterboxBox, unletterboxPoint } from '../../src/vision/letterbox.js';

describe('computeLetterbox', () => {
  it('keeps the aspect ratio and centres a tall image', () => {
    const lb = computeLetterbox(480, 640, 320, 240);
    expect(lb.scale).toBeCloseTo(240 / 640);
    expect(lb.resizedHeight).toBe(240);
    expect(lb.resizedWidth).toBe(180);
    expect(lb.padX).toBe(70);
    expect(lb.padY).toBe(0);
  });

  it('fills the input exactly when the aspect ratio matches', () => {
    const lb = computeLetterbox(640, 480, 320, 240);
    expect([lb.resizedWidth, lb.resizedHeight, lb.padX, lb.padY]).toEqual([320, 240, 0, 0]);
  });

  it('puts the image at the origin in top-left mode', () => {
    const lb = computeLetterbox(1920, 1080, 640, 640, 'top-left');
    expect([lb.resizedWidth, lb.resizedHeight, lb.padX, lb.padY]).toEqual([640, 360, 0, 0]);
  });

  it('maps input coordinates back to the source', () => {
    const lb = computeLetterbox(1000, 2000, 320, 240);
    const [x, y] = unletterboxPoint(lb, lb.padX + lb.resizedWidth / 2, lb.resizedHeight);
    expect(x).toBeCloseTo(500);
    expect(y).toBeCloseTo(2000);
    expect(unletterboxBox(lb, lb.padX, 0, lb.padX + lb.resizedWidth, lb.resizedHeight)).toEqual([0, 0, 1000, 2000]);
  });

  it('rejects an empty source', () => {
    expect(() => computeLetterbox(0, 10, 320, 240)).toThrow(RangeError);
  });
});
