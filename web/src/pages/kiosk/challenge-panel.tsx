// The head-turn challenge on the kiosk screen: what to do now (with an arrow
// towards the person's own left or right: the picture above is mirrored, so
// their left is the screen's left), the turns done, and the seconds left.
import type { ReactElement } from 'react';
import type { ChallengeProgress } from './run-challenge';

const ARROWS = { left: '←', right: '→' } as const;

export function ChallengePanel({ progress }: { progress: ChallengeProgress }): ReactElement {
  return (
    <section className="challenge" aria-label="Head-turn check">
      <div className="challenge-instruction" role="alert">
        {progress.direction === null ? null : (
          <span className="challenge-arrow" aria-hidden="true">
            {ARROWS[progress.direction]}
          </span>
        )}
        {progress.instruction}
      </div>
      <div className="challenge-meta">
        <span aria-label="Turns done">
          Turn {Math.min(progress.turnsDone + 1, progress.turns)} of {progress.turns}
        </span>
        <span className="challenge-countdown" aria-label="Seconds left">
          {progress.secondsLeft} s
        </span>
      </div>
    </section>
  );
}
