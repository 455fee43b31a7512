// A running guided enrollment: the browser camera, a frame to the server about
// ten times a second (submitEnrollmentFrame), the ring filling from its
// feedback, its instruction and quality reasons shown live; once coverage is
// enough, completeEnrollment, then the result or the reason it was refused.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Badge, Button, Notice, Spinner } from '../../components/ui';
import {
  AbandonEnrollmentDocument,
  FinishEnrollmentDocument,
  SendEnrollmentFrameDocument,
  type FinishEnrollmentMutation,
  type SendEnrollmentFrameMutation,
} from '../../gql/graphql';
import { gqlRequest } from '../../lib/graphql';
import { grabFrame, useBrowserCamera } from '../../lib/media';
import { PoseRing } from './pose-ring';
import { reasonLabel, sectorLabel } from './quality-labels';

type Feedback = Extract<SendEnrollmentFrameMutation['submitEnrollmentFrame'], { __typename: 'EnrollmentFrameFeedback' }>;
type Finished = FinishEnrollmentMutation['completeEnrollment'];

export type Outcome = { kind: 'enrolled'; name: string; templates: number; created: boolean } | { kind: 'refused'; message: string } | { kind: 'cancelled' };

/** Frames per second sent at most (the server answers each one). */
const FPS = 10;

type Phase = { kind: 'capturing' } | { kind: 'completing' } | { kind: 'failed'; message: string };

function describeRefusal(result: Finished): string {
  switch (result.__typename) {
    case 'DuplicateIdentityError':
      return `This face is already enrolled as employee #${result.existingEmployeeId}. Nothing was stored.`;
    case 'InconsistentIdentityError':
      return 'The frames did not all show the same person. Nothing was stored; start again with only one person in view.';
    case 'EnrollmentSessionExpiredError':
      return 'The session expired before it was completed. Start again.';
    case 'EngineBusyError':
      return 'The server is busy. Nothing was stored; try again in a moment.';
    case 'DuplicateEmployeeCodeError':
    case 'EnrollmentSessionClosedError':
    case 'EnrollmentSessionNotFoundError':
    case 'InsufficientCoverageError':
      return result.message;
    case 'EnrollmentResult':
      return 'The enrollment completed.';
  }
}

export function GuidedEnrollment({ sessionId, onEnd }: { sessionId: string; onEnd: (outcome: Outcome) => void }): ReactElement {
  const { videoRef, status } = useBrowserCamera(true);
  const [feedback, setFeedback] = useState<Feedback>();
  const [phase, setPhase] = useState<Phase>({ kind: 'capturing' });
  const [framesSent, setFramesSent] = useState(0);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;
  // Frame numbers go on across a pause (the server ignores a number it has seen).
  const nextFrame = useRef(0);

  useEffect(() => {
    if (status.kind !== 'live' || phase.kind !== 'capturing') {
      return;
    }
    let stopped = false;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const started = performance.now();
        const video = videoRef.current;
        const frame = video === null ? undefined : await grabFrame(video);
        if (frame !== undefined && !stopped) {
          const n = nextFrame.current++;
          const result = await gqlRequest(SendEnrollmentFrameDocument, { sessionId, frame, frameNumber: n, timestamp: Date.now() }).catch((e: unknown) => e as Error);
          if (stopped) {
            return;
          }
          setFramesSent(n + 1);
          if (result instanceof Error) {
            setPhase({ kind: 'failed', message: result.message });
            return;
          }
          const answer = result.submitEnrollmentFrame;
          if (answer.__typename === 'EngineBusyError') {
            // The server sheds load: skip this frame and slow down a little.
            await new Promise((r) => setTimeout(r, 500));
            continue;
          }
          if (answer.__typename !== 'EnrollmentFrameFeedback') {
            setPhase({ kind: 'failed', message: answer.__typename === 'EnrollmentSessionExpiredError' ? 'The session expired. Start again.' : answer.message });
            return;
          }
          setFeedback(answer);
          if (answer.complete) {
            setPhase({ kind: 'completing' });
            return;
          }
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 / FPS - (performance.now() - started))));
      }
    };
    void loop();
    return () => {
      stopped = true;
    };
  }, [status.kind, phase.kind, sessionId, videoRef]);

  useEffect(() => {
    if (phase.kind !== 'completing') {
      return;
    }
    let live = true;
    gqlRequest(FinishEnrollmentDocument, { sessionId })
      .then(({ completeEnrollment: r }) => {
        if (!live) {
          return;
        }
        if (r.__typename === 'EnrollmentResult') {
          endRef.current({ kind: 'enrolled', name: r.employee.fullName, templates: r.templates.total, created: r.created });
        } else if (r.__typename === 'InsufficientCoverageError') {
          // The session stays open: keep turning.
          setPhase({ kind: 'capturing' });
        } else {
          endRef.current({ kind: 'refused', message: describeRefusal(r) });
        }
      })
      .catch((e: unknown) => live && setPhase({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [phase.kind, sessionId]);

  const cancel = async (): Promise<void> => {
    setPhase({ kind: 'failed', message: 'Cancelled' });
    await gqlRequest(AbandonEnrollmentDocument, { sessionId }).catch(() => undefined);
    endRef.current({ kind: 'cancelled' });
  };

  const instruction =
    phase.kind === 'completing'
      ? 'Done turning — saving your face…'
      : status.kind === 'starting'
        ? 'Starting the camera…'
        : (feedback?.instruction ?? 'Look straight at the camera');
  const reasons = feedback === undefined ? [] : feedback.status === 'rejected' ? [...new Set([...(feedback.rejection === null || feedback.rejection === 'low_quality' ? [] : [feedback.rejection]), ...feedback.quality.reasons])] : [];
  const covered = feedback?.coveredSectors ?? [];

  return (
    <div className="enroll-layout">
      <div className="stack">
        <div className="viewer">
          <video ref={videoRef} muted playsInline aria-label="Your camera" />
          <PoseRing covered={covered} current={feedback?.status === 'accepted' ? feedback.sector : null} />
        </div>
        <p className="instruction" aria-live="polite" data-testid="instruction">
          {instruction}
        </p>
        <div className="reasons" aria-live="polite" aria-label="Why the last frame was not used">
          {reasons.map((r) => (
            <Badge key={r} tone="warn">
              {reasonLabel[r] ?? r}
            </Badge>
          ))}
        </div>
      </div>
      <aside className="card stack" aria-label="Enrollment progress">
        {status.kind === 'failed' ? <Notice tone="error" title="No camera">{status.message}</Notice> : null}
        {phase.kind === 'failed' && phase.message !== 'Cancelled' ? <Notice tone="error" title="Enrollment stopped">{phase.message}</Notice> : null}
        <div>
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <strong>Progress</strong>
            <span>{Math.round((feedback?.progress ?? 0) * 100)}%</span>
          </div>
          <div className="progress" role="progressbar" aria-label="Enrollment progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((feedback?.progress ?? 0) * 100)}>
            <span style={{ width: `${(feedback?.progress ?? 0) * 100}%` }} />
          </div>
        </div>
        <div className="stack" style={{ gap: '0.4rem' }}>
          <strong>Directions</strong>
          <div className="row" style={{ gap: '0.35rem' }}>
            {covered.map((s) => (
              <Badge key={s} tone="good">
                {sectorLabel[s] ?? s}
              </Badge>
            ))}
            {(feedback?.missingSectors ?? []).map((s) => (
              <Badge key={s}>{sectorLabel[s] ?? s}</Badge>
            ))}
          </div>
        </div>
        <p className="muted small">
          Frames sent: {framesSent}
          {feedback?.pose === null || feedback?.pose === undefined ? '' : ` · yaw ${Math.round(feedback.pose.yaw)}°, pitch ${Math.round(feedback.pose.pitch)}°`}
        </p>
        {phase.kind === 'completing' ? (
          <p className="row">
            <Spinner small /> Saving the templates…
          </p>
        ) : null}
        <Button onClick={() => void cancel()} disabled={phase.kind === 'completing'}>
          Cancel
        </Button>
      </aside>
    </div>
  );
}
