// Head pose (degrees) estimated from the five alignment points. A rough
// geometric estimate, good enough to flag extreme poses and to rank frames;
// not a 3-D fit. Conventions as in types.ts: positive yaw = face turned to
// the person's left (image right), positive pitch = looking up.
import { ARCFACE_TEMPLATE_112 } from './align.js';
import type { FivePoints, Point } from './types.js';

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

const DEG = 180 / Math.PI;

function mid(a: Point, b: Point): Point {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

// Where the nose sits between the eye line and the mouth line on a frontal
// face (ArcFace template), as a fraction of the eye-to-mouth distance.
const T = ARCFACE_TEMPLATE_112;
const FRONTAL_NOSE_RATIO = (T[2][1] - mid(T[0], T[1])[1]) / (mid(T[3], T[4])[1] - mid(T[0], T[1])[1]);

function clampUnit(v: number): number {
  return Math.max(-1, Math.min(1, v));
}

export function estimatePose(points: FivePoints): HeadPose {
  const [le, re, nose, lm, rm] = points;
  const roll = Math.atan2(re[1] - le[1], re[0] - le[0]) * DEG;
  // Undo the roll so yaw and pitch are measured in the face's own frame.
  const r = -roll / DEG;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const rot = (p: Point): Point => [p[0] * cos - p[1] * sin, p[0] * sin + p[1] * cos];
  const [l, rr, n, ml, mr] = [rot(le), rot(re), rot(nose), rot(lm), rot(rm)];
  const eyeMid = mid(l, rr);
  const mouthMid = mid(ml, mr);
  const eyeDist = Math.hypot(rr[0] - l[0], rr[1] - l[1]);
  const faceHeight = mouthMid[1] - eyeMid[1];
  if (eyeDist <= 0 || faceHeight <= 0) {
    return { yaw: 0, pitch: 0, roll };
  }
  // Yaw: the nose tip moves sideways by about its depth (~0.6 eye distances
  // in front of the eye plane) times sin(yaw). Measure against the midpoint of
  // eyes and mouth so a tilted face does not read as turned.
  const centreX = (eyeMid[0] + mouthMid[0]) / 2;
  const yaw = Math.asin(clampUnit((n[0] - centreX) / (0.6 * eyeDist))) * DEG;
  // Pitch: looking up raises the nose towards the eye line.
  const ratio = (n[1] - eyeMid[1]) / faceHeight;
  const pitch = Math.asin(clampUnit((FRONTAL_NOSE_RATIO - ratio) / 0.6)) * DEG;
  return { yaw, pitch, roll };
}
