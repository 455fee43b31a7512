// People present per day (and how many of them were late), as plain SVG bars.
import type { ReactElement } from 'react';
import { formatDay } from '../../lib/format';

export interface DayCount {
  date: string;
  present: number;
  late: number | null;
}

const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 16, right: 8, bottom: 38, left: 36 };

export function DayChart({ days, total }: { days: readonly DayCount[]; total: number }): ReactElement {
  const max = Math.max(1, total, ...days.map((d) => d.present));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, days.length);
  const barW = Math.min(44, slot * 0.6);
  const y = (v: number): number => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, Math.round(max / 2), max];
  const summary = days.map((d) => `${formatDay(d.date)}: ${d.present} present${d.late === null ? '' : `, ${d.late} late`}`).join('; ');
  return (
    <figure className="stack" style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`People present per day. ${summary}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const late = Math.min(d.late ?? 0, d.present);
          return (
            <g key={d.date}>
              <title>{`${formatDay(d.date)}: ${d.present} present${d.late === null ? '' : `, ${d.late} late`}`}</title>
              <rect className="bar" x={cx - barW / 2} y={y(d.present)} width={barW} height={Math.max(0, y(0) - y(d.present))} rx={3} />
              {late > 0 ? <rect className="bar-late" x={cx - barW / 2} y={y(late)} width={barW} height={y(0) - y(late)} rx={3} /> : null}
              <text x={cx} y={HEIGHT - PAD.bottom + 15} textAnchor="middle">
                {weekday.format(new Date(`${d.date}T12:00:00`))}
              </text>
              <text x={cx} y={HEIGHT - PAD.bottom + 29} textAnchor="middle">
                {i === 0 || d.date.endsWith('-01') ? monthDay.format(new Date(`${d.date}T12:00:00`)) : Number(d.date.slice(8))}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span>
          <span className="legend-swatch" />
          Present
        </span>
        <span>
          <span className="legend-swatch late" />
          Late
        </span>
      </figcaption>
    </figure>
  );
}
