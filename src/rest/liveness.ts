// The kiosk's head-turn challenge over REST (same service as GraphQL's
// startLivenessChallenge / submitChallengeFrame / finishLivenessChallenge):
// start → the random turns and a deadline; frames (base64 JSON) → feedback;
// result → checked in, or refused with the reason.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { decodeBase64Image } from '../enrollment/base64-image.js';
import { requireCaller } from '../http/route-auth.js';
import type { ChallengeOutcome } from '../services/liveness-challenge-service.js';
import { errorResponses, isoDate } from './common.js';

const challengeParams = z.object({ challenge_id: z.string().min(1).max(64) });

const challengeJson = z.object({
  challenge_id: z.string(),
  steps: z.array(z.enum(['left', 'right'])).describe("Head turns in order; 'left' = the person's own left"),
  instructions: z.array(z.string()),
  issued_at: z.string(),
  deadline: z.string().describe('Frames after this are refused; the result then reports a timeout if turns are missing'),
});

const frameFeedbackJson = z.object({
  accepted: z.boolean(),
  face_status: z.enum(['one_face', 'no_face', 'multiple_faces']),
  yaw: z.number().nullable().describe('Yaw proxy -1..1 from the 68 landmarks (+ = turned to the left)'),
  liveness_score: z.number().nullable(),
  turns_done: z.number().int(),
  instruction: z.string().nullable(),
});

const findingJson = z.object({ reason: z.string(), detail: z.string() });
const resultJson = z.object({
  challenge_id: z.string(),
  verdict: z.enum(['live', 'refused']),
  reason: z
    .enum(['no_face', 'spoof', 'planar', 'identity_changed', 'wrong_direction', 'sequence_not_followed', 'timeout'])
    .nullable()
    .describe('Main reason of a refusal'),
  detail: z.string().nullable(),
  findings: z.array(findingJson).describe('Every failed check of a refusal'),
  employee_id: z.number().int().nullable(),
  employee_code: z.string().nullable(),
  employee_name: z.string().nullable(),
  confidence_score: z.number().nullable(),
  attendance: z
    .object({ status: z.enum(['logged', 'duplicate', 'queued', 'rejected', 'failed']), log_id: z.number().int().nullable() })
    .nullable()
    .describe('The check-in of a live, recognized person'),
  evidence: z.object({
    frames: z.number().int(),
    turns: z.array(z.object({ direction: z.enum(['left', 'right']), yaw: z.number() })),
    liveness_score: z.number().nullable().describe('Median P(live) over the frames'),
    homography_residual: z.number().nullable(),
    depth_ratio: z.number().nullable().describe('Head-model fit / homography fit residual: low = a head, near 1 = a picture'),
  }),
});

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10_000) / 10_000);

export function outcomeToJson(id: string, o: ChallengeOutcome): z.output<typeof resultJson> {
  const e = o.decision.evidence;
  const live = o.verdict === 'live' ? o : undefined;
  const a = live?.attendance ?? null;
  return {
    challenge_id: id,
    verdict: o.verdict,
    reason: o.verdict === 'refused' ? o.decision.reason : null,
    detail: o.verdict === 'refused' ? o.decision.detail : null,
    findings: o.verdict === 'refused' ? o.decision.findings : [],
    employee_id: live?.employee?.id ?? null,
    employee_code: live?.employee?.employeeCode ?? null,
    employee_name: live?.employee?.fullName ?? null,
    confidence_score: live ? finite(live.confidence) : null,
    attendance: a && {
      status: a.kind,
      log_id: a.kind === 'logged' ? a.logId : a.kind === 'duplicate' ? a.existingLogId : null,
    },
    evidence: {
      frames: e.frames,
      turns: e.steps.map((s) => ({ direction: s.direction, yaw: Math.round(s.yaw * 1000) / 1000 })),
      liveness_score: finite(e.passive.score),
      homography_residual: finite(e.motion?.homographyResidual),
      depth_ratio: finite(e.motion?.depthRatio),
    },
  };
}

export const livenessRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  const service = deps.services.livenessChallenges;

  app.post('/liveness/challenges', {
    config: { auth: 'liveness:challenge' },
    schema: {
      tags: ['liveness'],
      summary: 'Start a head-turn challenge: a random sequence of turns and a deadline',
      body: z.object({ camera_id: z.number().int().positive().nullable().optional() }).nullish(),
      response: { 201: challengeJson, ...errorResponses(401, 403, 503) },
    },
    handler: async (request, reply) => {
      const view = await service.start(requireCaller(request), { cameraId: request.body?.camera_id ?? null });
      return reply.status(201).send({
        challenge_id: view.id,
        steps: [...view.steps],
        instructions: view.instructions,
        issued_at: isoDate(view.issuedAt),
        deadline: isoDate(view.deadline),
      });
    },
  });

  app.post('/liveness/challenges/:challenge_id/frames', {
    config: { auth: 'liveness:challenge' },
    schema: {
      tags: ['liveness'],
      summary: 'Send one camera frame of the challenge (server time stamps it)',
      params: challengeParams,
      body: z.object({ frame_data: z.string().min(1).describe('Base64 JPEG/PNG') }),
      response: { 200: frameFeedbackJson, ...errorResponses(400, 401, 403, 404, 409, 413, 422, 503) },
    },
    handler: async (request) => {
      const image = decodeBase64Image(request.body.frame_data, ['frame_data'], deps.config.BODY_LIMIT_BYTES);
      const f = await service.submitFrame(requireCaller(request), request.params.challenge_id, image);
      return {
        accepted: f.accepted,
        face_status: f.faceStatus,
        yaw: f.yaw,
        liveness_score: f.livenessScore,
        turns_done: f.turnsDone,
        instruction: f.instruction,
      };
    },
  });

  app.post('/liveness/challenges/:challenge_id/result', {
    config: { auth: 'liveness:challenge' },
    schema: {
      tags: ['liveness'],
      summary: 'Decide the challenge: check the person in, or refuse with the reason (idempotent)',
      params: challengeParams,
      response: { 200: resultJson, ...errorResponses(401, 403, 404, 503) },
    },
    handler: async (request) => {
      const id = request.params.challenge_id;
      return outcomeToJson(id, await service.finish(requireCaller(request), id));
    },
  });
};
