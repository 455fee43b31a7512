// Letterbox geometry: fit a source image into a fixed model input keeping the
// aspect ratio, and map coordinates back. Pure math; the pixel work is done
// by the caller with OpenCV using these numbers.

export interface Letterbox {
  /** Model-input pixels per source pixel (same on both axes). */
  scale: number;
  /** Size of the resized image inside the model input. */
  resizedWidth: number;
  resizedHeight: number;
  /** Offset of the resized image inside the model input. */
  padX: number;
  padY: number;
  inputWidth: number;
  inputHeight: number;
  srcWidth: number;
  srcHeight: number;
}

/**
 * 'center' pads evenly on both sides (faceplugin recipe); 'top-left' puts the
 * image at the origin and pads right/bottom (InsightFace's SCRFD `detect`).
 */
export function computeLetterbox(
  srcWidth: number,
  srcHeight: number,
  inputWidth: number,
  inputHeight: number,
  anchor: 'center' | 'top-left' = 'center',
): Letterbox {
  if (srcWidth <= 0 || srcHeight <= 0) {
    throw new RangeError(`letterbox: empty source ${srcWidth}x${srcHeight}`);
  }
  const scale = Math.min(inputWidth / srcWidth, inputHeight / srcHeight);
  const resizedWidth = Math.max(1, Math.min(inputWidth, Math.round(srcWidth * scale)));
  const resizedHeight = Math.max(1, Math.min(inputHeight, Math.round(srcHeight * scale)));
  const padX = anchor === 'center' ? Math.floor((inputWidth - resizedWidth) / 2) : 0;
  const padY = anchor === 'center' ? Math.floor((inputHeight - resizedHeight) / 2) : 0;
  return { scale, resizedWidth, resizedHeight, padX, padY, inputWidth, inputHeight, srcWidth, srcHeight };
}

/** Model-input pixel coordinates back to source-image pixels. */
export function unletterboxPoint(lb: Letterbox, x: number, y: number): [number, number] {
  // The resize maps srcWidth onto resizedWidth exactly, so use the per-axis
  // ratio rather than `scale` (they differ by the rounding of the size).
  const sx = lb.resizedWidth / lb.srcWidth;
  const sy = lb.resizedHeight / lb.srcHeight;
  return [(x - lb.padX) / sx, (y - lb.padY) / sy];
}

export function unletterboxBox(
  lb: Letterbox,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): [number, number, number, number] {
  const [ax, ay] = unletterboxPoint(lb, x1, y1);
  const [bx, by] = unletterboxPoint(lb, x2, y2);
  return [ax, ay, bx, by];
}
