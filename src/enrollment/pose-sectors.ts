// Maps a head pose (yaw, pitch) to a sector of the enrollment "ring", like a
// phone's face-unlock circle: a centre disc plus eight directions around it.
//
// Directions are named from the enrolling PERSON's point of view, because the
// instructions speak to them ("turn your head to the left"). With the sign
// convention of src/vision/types.ts (positive yaw = face turned to the person's
// left, positive pitch = looking up), yaw > 0 is 'left' and pitch > 0 is 'up'.

export const RING_SECTORS = [
  'left',
  'up-left',
  'up',
  'up-right',
  'right',
  'down-right',
  'down',
  'down-left',
] as const;

export type RingSector = (typeof RING_SECTORS)[number];
export type PoseSector = 'centre' | RingSector;

export const ALL_SECTORS: readonly PoseSector[] = ['centre', ...RING_SECTORS];

export interface PoseSectorParams {
  /** Poses within this many degrees of neutral count as 'centre'. */
  centreRadius: number;
  /** A ring sector needs at least this magnitude (a gap to centreRadius avoids flicker). */
  ringInner: number;
  /** Beyond this magnitude the pose is too extreme: landmarks and embeddings degrade. */
  ringOuter: number;
  /**
   * Pitch is multiplied by this before magnitude and angle are computed. People
   * nod less far than they turn, and a 5-point pitch estimate is compressed, so a
   * value > 1 makes 'up'/'down' reachable; 1 treats both axes alike.
   */
  pitchGain: number;
  /** The neutral pose of this camera/person (a camera mounted above the face reads as pitch down). */
  neutralYaw: number;
  neutralPitch: number;
}

// 5-point pose estimates jitter by a few degrees frame to frame; a centre of 8°
// and a ring from 12° leave a 4° dead band so noise does not toggle sectors.
// Beyond ~40° of yaw one eye is hidden and the 5-point alignment breaks down.
export const DEFAULT_POSE_SECTOR_PARAMS: PoseSectorParams = {
  centreRadius: 8,
  ringInner: 12,
  ringOuter: 40,
  pitchGain: 1.25,
  neutralYaw: 0,
  neutralPitch: 0,
};

export type PoseZone =
  | { zone: 'centre'; sector: 'centre'; magnitude: number }
  | { zone: 'ring'; sector: RingSector; magnitude: number; angle: number }
  /** Between centre and ring: counts for nothing, the user should keep turning. */
  | { zone: 'gap'; nearest: PoseSector; magnitude: number; angle: number }
  | { zone: 'extreme'; nearest: RingSector; magnitude: number; angle: number };

/** Angle (degrees, 0..360) of a pose: 0 = left, 90 = up, 180 = right, 270 = down. */
export function poseAngle(yaw: number, pitch: number, params: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS): number {
  const h = yaw - params.neutralYaw;
  const v = (pitch - params.neutralPitch) * params.pitchGain;
  const deg = (Math.atan2(v, h) * 180) / Math.PI;
  return deg < 0 ? deg + 360 : deg;
}

export function poseMagnitude(yaw: number, pitch: number, params: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS): number {
  return Math.hypot(yaw - params.neutralYaw, (pitch - params.neutralPitch) * params.pitchGain);
}

/** The ring sector whose 45° wedge holds this angle (0 = left, counter-clockwise towards up). */
export function sectorForAngle(angle: number): RingSector {
  const index = Math.round((((angle % 360) + 360) % 360) / 45) % 8;
  return RING_SECTORS[index] ?? 'left';
}

/** Centre angle of a ring sector, the inverse of sectorForAngle. */
export function sectorAngle(sector: RingSector): number {
  return RING_SECTORS.indexOf(sector) * 45;
}

export function classifyPose(yaw: number, pitch: number, params: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS): PoseZone {
  const magnitude = poseMagnitude(yaw, pitch, params);
  if (magnitude <= params.centreRadius) {
    return { zone: 'centre', sector: 'centre', magnitude };
  }
  const angle = poseAngle(yaw, pitch, params);
  const ring = sectorForAngle(angle);
  if (magnitude > params.ringOuter) {
    return { zone: 'extreme', nearest: ring, magnitude, angle };
  }
  if (magnitude < params.ringInner) {
    const mid = (params.centreRadius + params.ringInner) / 2;
    return { zone: 'gap', nearest: magnitude < mid ? 'centre' : ring, magnitude, angle };
  }
  return { zone: 'ring', sector: ring, magnitude, angle };
}

/** Sector for a pose, or null when it is in the dead band or too extreme. */
export function poseSector(yaw: number, pitch: number, params: PoseSectorParams = DEFAULT_POSE_SECTOR_PARAMS): PoseSector | null {
  const z = classifyPose(yaw, pitch, params);
  return z.zone === 'centre' || z.zone === 'ring' ? z.sector : null;
}

/** Smallest angular distance between two angles, in degrees (0..180). */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}
