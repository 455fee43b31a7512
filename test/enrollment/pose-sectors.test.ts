import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POSE_SECTOR_PARAMS,
  angleDistance,
  classifyPose,
  poseSector,
  sectorAngle,
  sectorForAngle,
  RING_SECTORS,
} from '../../src/enrollment/pose-sectors.js';

describe('poseSector', () => {
  it('puts small poses in the centre', () => {
    expect(poseSector(0, 0)).toBe('centre');
    expect(poseSector(5, -4)).toBe('centre');
  });

  it('names directions from the person: positive yaw is their left, positive pitch is up', () => {
    expect(poseSector(20, 0)).toBe('left');
    expect(poseSector(-20, 0)).toBe('right');
    expect(poseSector(0, 15)).toBe('up');
    expect(poseSector(0, -15)).toBe('down');
    expect(poseSector(15, 12)).toBe('up-left');
    expect(poseSector(-15, 12)).toBe('up-right');
    expect(poseSector(-15, -12)).toBe('down-right');
    expect(poseSector(15, -12)).toBe('down-left');
  });

  it('leaves a dead band between centre and ring and refuses extreme poses', () => {
    expect(classifyPose(10, 0).zone).toBe('gap');
    expect(poseSector(10, 0)).toBeNull();
    const extreme = classifyPose(55, 0);
    expect(extreme.zone).toBe('extreme');
    expect(extreme.zone === 'extreme' && extreme.nearest).toBe('left');
    expect(poseSector(-45, 0)).toBeNull();
  });

  it('takes its thresholds as parameters', () => {
    const wide = { ...DEFAULT_POSE_SECTOR_PARAMS, centreRadius: 15, ringInner: 18 };
    expect(poseSector(14, 0, wide)).toBe('centre');
    expect(poseSector(14, 0)).toBe('left');
    // A camera above the face reads a straight look as pitch -10: calibrate it away.
    const high = { ...DEFAULT_POSE_SECTOR_PARAMS, neutralPitch: -10 };
    expect(poseSector(0, -10, high)).toBe('centre');
    expect(poseSector(0, -10)).toBe('down');
  });

  it('maps angles to 45° wedges and back', () => {
    for (const s of RING_SECTORS) {
      expect(sectorForAngle(sectorAngle(s))).toBe(s);
      expect(sectorForAngle(sectorAngle(s) + 22)).toBe(s);
      expect(sectorForAngle(sectorAngle(s) - 22)).toBe(s);
    }
    expect(sectorForAngle(359)).toBe('left');
    expect(angleDistance(350, 10)).toBeCloseTo(20);
    expect(angleDistance(90, 270)).toBeCloseTo(180);
  });
});
