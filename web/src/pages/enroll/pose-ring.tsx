// The face-unlock ring around the camera picture: eight directions around a
// centre, filled as the server accepts frames in each; the one the head points
// at now is lit. Screen left is the person's left (the picture is mirrored).
import type { ReactElement } from 'react';

const RING = ['right', 'down-right', 'down', 'down-left', 'left', 'up-left', 'up', 'up-right'] as const;
const SIZE = 200;
const C = SIZE / 2;
const OUTER = 99;
const INNER = 90;
const GAP_DEG = 3;

function arc(startDeg: number, endDeg: number): string {
  const p = (r: number, deg: number): string => {
    const a = (deg * Math.PI) / 180;
    return `${(C + r * Math.cos(a)).toFixed(2)} ${(C + r * Math.sin(a)).toFixed(2)}`;
  };
  return `M ${p(OUTER, startDeg)} A ${OUTER} ${OUTER} 0 0 1 ${p(OUTER, endDeg)} L ${p(INNER, endDeg)} A ${INNER} ${INNER} 0 0 0 ${p(INNER, startDeg)} Z`;
}

export function PoseRing({ covered, current }: { covered: readonly string[]; current: string | null }): ReactElement {
  const label = `Directions covered: ${covered.length === 0 ? 'none yet' : covered.join(', ')}`;
  return (
    <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={label}>
      {RING.map((sector, i) => {
        const mid = i * 45;
        const cls = `ring-sector ${covered.includes(sector) ? 'covered' : ''} ${current === sector ? 'current' : ''}`;
        return <path key={sector} className={cls} data-sector={sector} d={arc(mid - 22.5 + GAP_DEG / 2, mid + 22.5 - GAP_DEG / 2)} />;
      })}
    </svg>
  );
}
