// /kiosk: a full-screen check-in point for a tablet by the door, meant for a
// kiosk key. The camera runs; a few frames a second go to `recognize` (which
// logs attendance); the screen greets the person, says they are already in, or
// politely that they are not recognized.
//
// Liveness: when the server asks for a challenge (the liveness issue), the
// challenge UI renders in the `liveness-slot` below the picture and recognition
// pauses until it is answered; see the LIVENESS comment in the loop.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Link } from 'react-router-dom';
import { Icon } from '../components/icons';
import { Button, Notice } from '../components/ui';
import { KioskRecognizeDocument } from '../gql/graphql';
import { gqlRequest } from '../lib/graphql';
import { grabFrame, useBrowserCamera } from '../lib/media';
import { useMe, useSession } from '../lib/session';
import { messageFor, wording, type KioskMessage } from './kiosk/kiosk-message';

/** Frames per second sent while nobody has been greeted. */
const FPS = 3;
/** How long a greeting stays before the kiosk looks again. */
const HOLD_MS = 5_000;

export function KioskPage(): ReactElement {
  const me = useMe();
  const { signOut } = useSession();
  const { videoRef, status } = useBrowserCamera(true);
  const [message, setMessage] = useState<KioskMessage>({ kind: 'idle' });
  const holdUntil = useRef(0);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (status.kind !== 'live') {
      return;
    }
    let stopped = false;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const started = performance.now();
        const video = videoRef.current;
        if (Date.now() >= holdUntil.current && video !== null) {
          const frame = await grabFrame(video, 640, 0.85);
          if (frame !== undefined && !stopped) {
            const next = await gqlRequest(KioskRecognizeDocument, { frame, ...(me.cameraId === null ? {} : { cameraId: me.cameraId }) })
              .then((r) => messageFor(r.recognize, new Date()))
              .catch((e: unknown): KioskMessage => ({ kind: 'error', text: e instanceof Error ? e.message : String(e) }));
            // LIVENESS: when the result asks for a challenge, render it in the liveness slot and wait for it here.
            if (stopped) {
              return;
            }
            setMessage(next);
            if (next.kind === 'welcome' || next.kind === 'already' || next.kind === 'unknown') {
              holdUntil.current = Date.now() + HOLD_MS;
            }
          }
        } else if (Date.now() >= holdUntil.current) {
          setMessage((m) => (m.kind === 'idle' ? m : { kind: 'idle' }));
        }
        await new Promise((r) => setTimeout(r, Math.max(50, 1000 / FPS - (performance.now() - started))));
      }
    };
    void loop();
    return () => {
      stopped = true;
    };
  }, [status.kind, me.cameraId, videoRef]);

  // After a hold, go back to the idle prompt.
  useEffect(() => {
    if (message.kind === 'idle') {
      return;
    }
    const timer = setTimeout(() => setMessage({ kind: 'idle' }), HOLD_MS + 500);
    return () => clearTimeout(timer);
  }, [message]);

  const words = wording(message);
  const fullScreen = (): void => {
    void rootRef.current?.requestFullscreen?.().catch(() => undefined);
  };
  return (
    <div className="kiosk" ref={rootRef}>
      <div className="kiosk-top">
        <span>
          <Icon name="kiosk" /> {me.name}
        </span>
        <div className="row">
          <Button icon="fullscreen" onClick={fullScreen}>
            Full screen
          </Button>
          {me.role === 'kiosk' ? (
            <Button icon="signOut" onClick={() => void signOut()}>
              Sign out
            </Button>
          ) : (
            <Link className="btn" to="/">
              Leave kiosk
            </Link>
          )}
        </div>
      </div>
      <main className="kiosk-stage">
        <div className="kiosk-video">
          <video ref={videoRef} muted playsInline aria-label="Kiosk camera" />
        </div>
        {status.kind === 'failed' ? (
          <Notice tone="error" title="No camera">
            {status.message}
          </Notice>
        ) : null}
        <div className="liveness-slot" data-testid="liveness-slot" />
      </main>
      <div className={`kiosk-message ${message.kind}`} role="status" aria-live="polite">
        <div className="big">{words.big}</div>
        <div className="sub">{words.sub}</div>
      </div>
    </div>
  );
}
