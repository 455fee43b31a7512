// Cropping helpers on top of OpenCV: square crops that may leave the image
// (padded with black) and the aligned warp.
import type { Affine } from './align.js';
import { cv, type Mat } from './opencv.js';

/**
 * The square [x, y, x+side, y+side] (source pixels) resized to size x size.
 * Parts outside the image are black. Shrinks with INTER_AREA: big faces down
 * to 64 px alias badly with a plain linear warp.
 */
export function cropSquare(image: Mat, x: number, y: number, side: number, size: number): Mat {
  const x0 = Math.round(x);
  const y0 = Math.round(y);
  const s = Math.max(1, Math.round(side));
  const ix0 = Math.max(0, x0);
  const iy0 = Math.max(0, y0);
  const ix1 = Math.min(image.cols, x0 + s);
  const iy1 = Math.min(image.rows, y0 + s);
  if (ix1 <= ix0 || iy1 <= iy0) {
    return new cv.Mat(size, size, image.type, [0, 0, 0]);
  }
  let region = image.getRegion(new cv.Rect(ix0, iy0, ix1 - ix0, iy1 - iy0));
  const top = iy0 - y0;
  const left = ix0 - x0;
  const bottom = y0 + s - iy1;
  const right = x0 + s - ix1;
  if (top > 0 || left > 0 || bottom > 0 || right > 0) {
    region = region.copyMakeBorder(top, bottom, left, right, cv.BORDER_CONSTANT, new cv.Vec3(0, 0, 0));
  }
  return region.resize(size, size, 0, 0, s > size ? cv.INTER_AREA : cv.INTER_LINEAR);
}

/** Warp to the aligned size x size crop with the image->crop transform. */
export function warpAligned(image: Mat, m: Affine, size: number): Mat {
  const mat = new cv.Mat([
    [m[0], m[1], m[2]],
    [m[3], m[4], m[5]],
  ], cv.CV_64F);
  return image.warpAffine(mat, new cv.Size(size, size), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Vec3(0, 0, 0));
}
