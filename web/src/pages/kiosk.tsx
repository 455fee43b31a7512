// /kiosk: a full-screen check-in point for a tablet by the door, meant for a
// kiosk key. The camera runs; a few frames a second go to `recognize` (which
// logs attendance); the screen greets the person, says they are already in, or
// politely that they are not recognized.
//
// Liveness: when the server checks this kiosk in through the head-turn
// challenge only (`me.checkInByChallenge`: LIVENESS_MODE=challenge), or the
// kiosk is opened as /kiosk?challenge=1, the kiosk runs challenges instead of
// recognize (kiosk/run-challenge.ts): once someone is in view its instructions
// and countdown show in the `liveness-slot` below the picture, and the verdict
// (a check-in, or a refusal in plain words) is shown like a greeting.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Icon } from '../components/icons';
import { Button, Notice } from '../components/ui';
import { KioskRecognizeDocument } from '../gql/graphql';
import { gqlRequest } from '../lib/graphql';
import { grabFrame, useBrowserCamera } from '../lib/media';
import { useMe, useSession } from '../lib/session';
import { ChallengePanel } from './kiosk/challenge-panel';
import { challengeMessage } from './kiosk/challenge-words';
import { messageFor, wording, type KioskMessage } from './kiosk/kiosk-message';
import { runChallenge, type ChallengeProgress } from './kiosk/run-challenge';

/** Frames per second sent while nobody has been greeted. */
const FPS = 3;
/** How long a greeting stays before the kiosk looks again. */
const HOLD_MS = 5_000;

export function KioskPage(): ReactElement {
  const me = useMe();
  const { signOut } = useSession();
  const { videoRef, status } = useBrowserCamera(true);
  const [message, setMessage] = useState<KioskMessage>({ kind: 'idle' });
  const [challenge, setChallenge] = useState<ChallengeProgress | null>(null);
  const [searchParams] = useSearchParams();
  const challengeMode = me.checkInByChallenge || searchParams.get('challenge') === '1';
  const holdUntil = useRef(0);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (status.kind !== 'live') {
      return;
    }
    let stopped = false;
    const camera = me.cameraId === null ? {} : { cameraId: me.cameraId };
    /** One look through recognize (which logs the check-in). */
    const recognizeOnce = async (video: HTMLVideoElement): Promise<KioskMessage | undefined> => {
      const frame = await grabFrame(video, 640, 0.85);
      if (frame === undefined || stopped) {
        return undefined;
      }
      return gqlRequest(KioskRecognizeDocument, { frame, ...camera })
        .then((r) => messageFor(r.recognize, new Date()))
        .catch((e: unknown): KioskMessage => ({ kind: 'error', text: describe(e) }));
    };
    /** One head-turn challenge: waits for someone, guides them, gives the verdict. */
    const challengeOnce = async (video: HTMLVideoElement): Promise<KioskMessage | undefined> => {
      const shown = (p: ChallengeProgress): void => {
        setChallenge(p);
        setMessage((m) => (m.kind === 'checking' ? m : { kind: 'checking' }));
      };
      const run = await runChallenge(video, me.cameraId, shown, () => stopped).catch((e: unknown) => ({ kind: 'failed' as const, text: describe(e) }));
      setChallenge(null);
      switch (run.kind) {
        case 'finished':
          return challengeMessage(run.result, new Date());
        case 'failed':
          return { kind: 'error', text: run.text };
        case 'again':
          return { kind: 'idle' };
        case 'stopped':
          return undefined;
      }
    };
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const started = performance.now();
        const video = videoRef.current;
        if (Date.now() >= holdUntil.current && video !== null) {
          const next = challengeMode ? await challengeOnce(video) : await recognizeOnce(video);
          if (stopped) {
            return;
          }
          if (next !== undefined) {
            setMessage(next);
            if (next.kind === 'welcome' || next.kind === 'already' || next.kind === 'unknown' || next.kind === 'refused') {
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
  }, [status.kind, me.cameraId, videoRef, challengeMode]);

  // After a hold, go back to the idle prompt.
  useEffect(() => {
    if (message.kind === 'idle' || message.kind === 'checking') {
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
        <div className="liveness-slot" data-testid="liveness-slot">
          {challenge === null ? null : <ChallengePanel progress={challenge} />}
        </div>
      </main>
      <div className={`kiosk-message ${message.kind}`} role="status" aria-live="polite">
        <div className="big">{words.big}</div>
        <div className="sub">{words.sub}</div>
      </div>
    </div>
  );
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));
