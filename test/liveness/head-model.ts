// Synthetic 68-point sequences for the challenge tests: a 3D face point model
// (iBUG order) turned in front of a pinhole camera, versus the same face
// printed on a flat or bent sheet that is turned the same way.
//
// Model units are 0.2 mm (eye corners 450 apart = 90 mm; nose tip 27 mm in
// front of them; jaw-line ends near the ears ~90 mm behind the nose): rough
// adult proportions, in the spirit of the 6-point model often used for head
// pose (nose tip at the origin, x to the subject's left = image right,
// y up, z towards the camera).
import { createRng, type Rng } from '../../src/math/seeded-random.js';

export type Vec3 = readonly [number, number, number];

function jaw(): Vec3[] {
  const out: Vec3[] = [];
  for (let k = 0; k <= 16; k++) {
    const t = (k - 8) / 8; // -1 (image left, subject's right ear) .. 1
    const x = 360 * Math.sin((t * Math.PI) / 2);
    const y = 150 - 480 * (1 - t * t) ** 0.8;
    const z = -65 - 385 * Math.abs(t) ** 1.5;
    out.push([x, y, z]);
  }
  return out;
}

const half = (right: Vec3[]): Vec3[] => right.map(([x, y, z]) => [-x, y, z] as Vec3);

// Brow and eye of the image-left side (subject's right), mirrored for the other side.
const BROW_L: Vec3[] = [[-330, 250, -200], [-265, 285, -160], [-195, 295, -130], [-125, 290, -115], [-60, 270, -110]];
const EYE_L: Vec3[] = [[-225, 170, -135], [-185, 190, -115], [-135, 190, -110], [-95, 170, -120], [-135, 155, -110], [-185, 155, -115]];

/** The 68 model points (iBUG order). */
export function faceModel(): Vec3[] {
  const browR = half(BROW_L).reverse(); // 22..26 run inner -> outer
  // Right eye 42..47: inner corner first, then upper lid outwards, outer corner, lower lid back.
  const e = half(EYE_L);
  const eyeR: Vec3[] = [e[3]!, e[2]!, e[1]!, e[0]!, e[5]!, e[4]!];
  const nose: Vec3[] = [[0, 170, -110], [0, 110, -75], [0, 50, -35], [0, 0, 0]];
  const nostrils: Vec3[] = [[-80, -45, -75], [-40, -52, -45], [0, -55, -30], [40, -52, -45], [80, -45, -75]];
  const mouthOuter: Vec3[] = [
    [-150, -150, -125], [-100, -125, -95], [-40, -115, -75], [0, -118, -70], [40, -115, -75], [100, -125, -95],
    [150, -150, -125], [100, -180, -100], [40, -190, -80], [0, -192, -75], [-40, -190, -80], [-100, -180, -100],
  ];
  const mouthInner: Vec3[] = [
    [-130, -150, -115], [-40, -140, -85], [0, -141, -80], [40, -140, -85],
    [130, -150, -115], [40, -160, -85], [0, -161, -80], [-40, -160, -85],
  ];
  return [...jaw(), ...BROW_L, ...browR, ...nose, ...nostrils, ...EYE_L, ...eyeR, ...mouthOuter, ...mouthInner];
}

export interface Camera {
  /** Focal length in pixels. */
  focal: number;
  cx: number;
  cy: number;
}
/** A 640x480 webcam (~45° horizontal field of view). */
export const WEBCAM: Camera = { focal: 800, cx: 320, cy: 240 };
/** Distance of the nose tip from the camera, model units (600 mm). */
export const DISTANCE = 3000;

export interface Pose {
  /** Degrees about the vertical axis; positive turns the face to the subject's left (nose to image right). */
  yaw: number;
  pitch?: number;
  /** Sideways / vertical shift of the head or sheet, model units. */
  dx?: number;
  dy?: number;
}

function rotate(p: Vec3, pose: Pose, pivotZ: number): Vec3 {
  const a = (pose.yaw * Math.PI) / 180;
  const b = ((pose.pitch ?? 0) * Math.PI) / 180;
  const [x, y, z0] = p;
  const z = z0 - pivotZ;
  // Yaw about y, then pitch about x.
  const x1 = x * Math.cos(a) + z * Math.sin(a);
  const z1 = -x * Math.sin(a) + z * Math.cos(a);
  const y2 = y * Math.cos(b) - z1 * Math.sin(b);
  const z2 = y * Math.sin(b) + z1 * Math.cos(b);
  return [x1 + (pose.dx ?? 0), y2 + (pose.dy ?? 0), z2 + pivotZ];
}

/** Pinhole projection of model points placed `DISTANCE` in front of the camera; flat [x0, y0, x1, y1, ...] pixels. */
export function project(points: readonly Vec3[], camera: Camera = WEBCAM, distance = DISTANCE): Float64Array {
  const out = new Float64Array(points.length * 2);
  points.forEach(([x, y, z], i) => {
    const depth = distance - z; // z points to the camera
    out[2 * i] = camera.cx + (camera.focal * x) / depth;
    out[2 * i + 1] = camera.cy - (camera.focal * y) / depth; // image y goes down
  });
  return out;
}

/** How one person's head differs from the model: all depths scaled, each point's depth jittered. */
export interface HeadShape {
  depthScale: number;
  /** Standard deviation of a per-point depth change, as a fraction of that point's depth. */
  depthNoise: number;
  seed: number;
}

/** A real head: the 3D model (reshaped as `shape` says) rotated about the neck (100 mm behind the nose tip). */
export function headPoints(pose: Pose, shape?: HeadShape): Vec3[] {
  const rng = createRng(shape?.seed ?? 0);
  return faceModel()
    .map(([x, y, z]): Vec3 => (shape ? [x, y, z * shape.depthScale * (1 + shape.depthNoise * (2 * rng() - 1) * Math.sqrt(3))] : [x, y, z]))
    .map((p) => rotate(p, pose, -500));
}

export type Sheet =
  | { kind: 'flat' }
  /** Bent around a vertical axis (a sheet held curved); radius in model units, 500 = 10 cm. */
  | { kind: 'bent-vertical'; radius: number }
  /** Bent around a horizontal axis. */
  | { kind: 'bent-horizontal'; radius: number };

/**
 * The frontal face printed on a sheet (life size) held where the face would be, turned by `pose`
 * about its own centre. A bent sheet curves away from the camera at its sides.
 */
export function sheetPoints(sheet: Sheet, pose: Pose): Vec3[] {
  const printed = project(faceModel(), WEBCAM, DISTANCE);
  const scale = DISTANCE / WEBCAM.focal; // back to model units, life size
  const pts: Vec3[] = [];
  for (let i = 0; i < printed.length / 2; i++) {
    const u = (printed[2 * i]! - WEBCAM.cx) * scale;
    const v = -(printed[2 * i + 1]! - WEBCAM.cy) * scale;
    let p: Vec3;
    switch (sheet.kind) {
      case 'flat':
        p = [u, v, -100];
        break;
      case 'bent-vertical': {
        // Arc length u along a cylinder of the given radius keeps the print undistorted.
        const a = u / sheet.radius;
        p = [sheet.radius * Math.sin(a), v, -100 - sheet.radius * (1 - Math.cos(a))];
        break;
      }
      case 'bent-horizontal': {
        const a = v / sheet.radius;
        p = [u, sheet.radius * Math.sin(a), -100 - sheet.radius * (1 - Math.cos(a))];
        break;
      }
    }
    pts.push(rotate(p, pose, -100));
  }
  return pts;
}

/** Adds Gaussian noise of `sigma` pixels to every coordinate (landmark detector jitter). */
export function jitter(points: Float64Array, sigma: number, rng: Rng): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < out.length; i++) {
    // Box-Muller
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    out[i]! += sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

export { createRng };
