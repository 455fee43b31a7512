// One camera on /live: its picture, the faces of the latest processed frame
// drawn over it (box, track id, name), and its state and pipeline figures.
import { useEffect, useState, type ReactElement } from 'react';
import { Badge } from '../../components/ui';
import { LiveFramesDocument, type LiveCameraInfoFragment, type LiveFramesSubscription } from '../../gql/graphql';
import { formatMs } from '../../lib/format';
import { useSubscription } from '../../lib/hooks';
import { usePreview } from './use-preview';

type Frame = LiveFramesSubscription['recognitionFrames'];

const stateTone = { connected: 'good', connecting: 'accent', reconnecting: 'warn', stopped: 'neutral' } as const;
const faceColour = { recognized: '#34d399', unknown: '#fbbf24', pending: '#93c5fd' } as const;
/** Boxes of a frame older than this are no longer drawn (the person left, or the camera stalled). */
const STALE_FRAME_MS = 1_500;

export function CameraTile({ info }: { info: LiveCameraInfoFragment }): ReactElement {
  const running = info.state !== 'stopped';
  const preview = usePreview(info.cameraId, running);
  const [frame, setFrame] = useState<{ frame: Frame; at: number }>();
  useSubscription(LiveFramesDocument, { cameraId: info.cameraId }, (data) => setFrame({ frame: data.recognitionFrames, at: Date.now() }), { skip: !running });

  // Clear boxes that are no longer fresh.
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, []);
  const current = frame !== undefined && Date.now() - frame.at < STALE_FRAME_MS ? frame.frame : undefined;
  const title = info.name ?? `Camera ${info.cameraId}`;

  return (
    <article className="tile" aria-label={`Camera ${title}`}>
      <div className="tile-head">
        <h2>{title}</h2>
        <Badge tone={stateTone[info.state]}>{info.state}</Badge>
      </div>
      <div className="tile-picture">
        {preview.kind === 'live' ? <img src={preview.url} alt={`Live picture of ${title}`} /> : null}
        {preview.kind !== 'live' ? (
          <div className="tile-placeholder">
            {running ? (preview.kind === 'closed' ? preview.reason : 'Waiting for the picture…') : info.stoppedReason === 'ended' ? 'The video ended' : 'Camera stopped'}
          </div>
        ) : null}
        {current === undefined ? null : (
          <svg className="overlay" viewBox={`0 0 ${current.width} ${current.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
            {current.faces.map((f) => {
              const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = f.box;
              const label = f.status === 'recognized' ? (f.employee?.fullName ?? `#${f.trackId}`) : f.status === 'unknown' ? 'Unknown' : '…';
              return (
                <g key={f.trackId}>
                  <rect x={x1} y={y1} width={x2 - x1} height={y2 - y1} fill="none" stroke={faceColour[f.status]} strokeWidth={3} rx={4} />
                  <text x={x1} y={Math.max(16, y1 - 6)} fill={faceColour[f.status]}>
                    {`${label} · ${f.trackId}`}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
      </div>
      {current === undefined ? null : (
        <p className="visually-hidden" aria-live="off">
          {current.faces.map((f) => f.employee?.fullName ?? f.status).join(', ')}
        </p>
      )}
      <div className="tile-metrics">
        <span>
          In <strong>{info.fpsIn.toFixed(1)}</strong> fps
        </span>
        <span>
          Processed <strong>{info.fpsProcessed.toFixed(1)}</strong> fps
        </span>
        <span>
          Dropped <strong>{info.framesDropped}</strong>
        </span>
        <span>
          Latency <strong>{formatMs(info.latencyMs.p50)}</strong> p50 · {formatMs(info.latencyMs.p95)} p95
        </span>
        <span>
          Faces <strong>{current?.faces.length ?? 0}</strong>
        </span>
      </div>
      {info.error === null ? null : <p className="tile-metrics" role="status">{info.state === 'reconnecting' ? `Reconnecting (attempt ${info.reconnectAttempt}): ` : ''}{info.error}</p>}
    </article>
  );
}
