// /live: every camera's picture with the faces it sees, and a running list of
// the people recognized. Camera figures refresh every two seconds.
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { Link } from 'react-router-dom';
import { Empty, ErrorNotice, Loading, PageHeader } from '../components/ui';
import { LiveCameraInfosDocument, LiveRecognizedDocument, type LiveRecognizedSubscription } from '../gql/graphql';
import { formatTimeSeconds, methodLabel } from '../lib/format';
import { useQuery, useSubscription } from '../lib/hooks';
import { useCan } from '../lib/session';
import { CameraTile } from './live/camera-tile';

interface FeedItem {
  key: string;
  name: string;
  code: string | null;
  cameraName: string;
  at: string;
  confidence: number;
  method: string;
}

const FEED_LENGTH = 60;

interface RecentJson {
  recognized: { camera_id: number; track_id: number; employee_name: string | null; employee_code: string | null; confidence_score: number; recognition_method: string; timestamp: string }[];
}

export function LivePage(): ReactElement {
  const can = useCan();
  const infos = useQuery(LiveCameraInfosDocument, {}, { pollMs: 2_000 });
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const cameraName = useCallback(
    (id: number) => infos.data?.cameraInfo.find((c) => c.cameraId === id)?.name ?? `Camera ${id}`,
    [infos.data],
  );

  // What was recognized before the page opened.
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/v1/recognition/recognized?limit=20', { credentials: 'same-origin', signal: controller.signal })
      .then(async (r) => (r.ok ? ((await r.json()) as RecentJson) : { recognized: [] }))
      .then((body) =>
        setFeed((current) => [
          ...current,
          ...body.recognized.map((r) => ({
            key: `${r.camera_id}-${r.track_id}-${r.timestamp}`,
            name: r.employee_name ?? 'Unknown',
            code: r.employee_code,
            cameraName: `Camera ${r.camera_id}`,
            at: r.timestamp,
            confidence: r.confidence_score,
            method: r.recognition_method,
          })),
        ]),
      )
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  useSubscription(LiveRecognizedDocument, {}, (data: LiveRecognizedSubscription) => {
    const r = data.recognized;
    setFeed((current) =>
      [
        {
          key: `${r.cameraId}-${r.trackId}-${r.at}`,
          name: r.employee?.fullName ?? `Employee ${r.employeeId}`,
          code: r.employee?.employeeCode ?? null,
          cameraName: cameraName(r.cameraId),
          at: r.at,
          confidence: r.confidence,
          method: r.method,
        },
        ...current,
      ].slice(0, FEED_LENGTH),
    );
  });

  const cameras = infos.data?.cameraInfo;
  return (
    <>
      <PageHeader title="Live" description="What every camera sees now, and who was recognized." />
      <ErrorNotice error={infos.error} onRetry={infos.refetch} />
      <div className="live-layout">
        <section aria-label="Cameras">
          {cameras === undefined ? (
            infos.loading ? <Loading what="cameras" /> : null
          ) : cameras.length === 0 ? (
            <div className="card">
              <Empty icon="cameras" title="No cameras yet">
                {can('cameras:manage') ? <Link to="/cameras">Add a camera</Link> : 'An operator can add one.'}
              </Empty>
            </div>
          ) : (
            <div className="tiles">
              {cameras.map((info) => (
                <CameraTile key={info.cameraId} info={info} />
              ))}
            </div>
          )}
        </section>
        <section className="card" style={{ padding: 0 }} aria-labelledby="feed-title">
          <div className="tile-head">
            <h2 id="feed-title">Recognized</h2>
            <span className="muted small">{feed.length === 0 ? '' : `${feed.length} recent`}</span>
          </div>
          {feed.length === 0 ? (
            <Empty icon="employees" title="Nobody yet">
              People appear here as cameras recognize them.
            </Empty>
          ) : (
            <ul className="feed" aria-live="polite" aria-label="Recognized people">
              {feed.map((item) => (
                <li key={item.key}>
                  <div>
                    <div className="feed-name">{item.name}</div>
                    <div className="feed-meta">
                      {item.cameraName} · {methodLabel[item.method] ?? item.method} {Math.round(item.confidence * 100)}%
                    </div>
                  </div>
                  <time className="feed-meta" dateTime={item.at}>
                    {formatTimeSeconds(item.at)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
