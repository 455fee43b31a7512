// GraphQL resolvers of liveness: the presentationAttack subscription and the
// kiosk's head-turn challenge (frames arrive as base64, decoded and
// size-checked here). Shapes live in src/schema/presentation-attack.ts and
// src/schema/liveness-challenge.ts; REST /api/v1/liveness calls the same service.
import { filter, pipe } from 'graphql-yoga';
import type { RequestContext } from '../context.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import type { PresentationAttackEvent } from '../liveness/events.js';
import { clearLoaders } from '../loaders.js';
import type { ChallengeFrameFeedback, ChallengeOutcome, ChallengeView } from '../services/liveness-challenge-service.js';

type Maybe<T> = T | null | undefined;
type Id = string | number;

export const livenessResolvers = {
  presentationAttack: (args: { cameraId?: Maybe<number> }, ctx: RequestContext): AsyncIterable<PresentationAttackEvent> =>
    pipe(
      ctx.pubsub.subscribe('presentationAttack'),
      filter((e: PresentationAttackEvent) => args.cameraId == null || e.cameraId === args.cameraId),
    ),

  presentationAttackEvent: (event: PresentationAttackEvent, ctx: RequestContext): PresentationAttackEvent => {
    clearLoaders(ctx.loaders);
    return event;
  },

  startLivenessChallenge: (args: { cameraId?: Maybe<number> }, ctx: RequestContext): Promise<ChallengeView> =>
    ctx.services.livenessChallenges.start(ctx.caller, { cameraId: args.cameraId ?? null }),

  submitChallengeFrame: (args: { challengeId: Id; frame: string }, ctx: RequestContext): Promise<ChallengeFrameFeedback> => {
    const image = decodeBase64Image(args.frame, ['frame'], ctx.bodyLimitBytes);
    return ctx.services.livenessChallenges.submitFrame(ctx.caller, String(args.challengeId), image);
  },

  finishLivenessChallenge: (args: { challengeId: Id }, ctx: RequestContext): Promise<ChallengeOutcome> =>
    ctx.services.livenessChallenges.finish(ctx.caller, String(args.challengeId)),
};
