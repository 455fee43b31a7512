// The presentationAttack subscription (operators and admins): a face judged
// not live, or a kiosk challenge refused, with whom it resembled. Every such
// event also has an audit row (action liveness.presentation_attack).
import type { PresentationAttackEvent, ResembledEmployee } from '../liveness/events.js';
import { livenessResolvers as r } from '../resolvers/liveness.js';
import { builder } from './builder.js';
import { EmployeeRef } from './employee.js';

const ResembledRef = builder.objectRef<ResembledEmployee>('ResembledEmployee').implement({
  description: 'The enrolled person an attack looked like.',
  fields: (t) => ({
    employeeId: t.exposeInt('employeeId'),
    employeeCode: t.exposeString('employeeCode'),
    fullName: t.exposeString('fullName'),
    confidence: t.exposeFloat('confidence', { description: "0..1, the recognizer's confidence" }),
    wouldRecognize: t.exposeBoolean('wouldRecognize', { description: 'Would have been recognized (and logged) had the face been live' }),
    employee: t.field({ type: EmployeeRef, nullable: true, resolve: (r, _args, ctx) => ctx.loaders.employeeById.load(r.employeeId) }),
  }),
});

const AttackSourceEnum = builder.enumType('PresentationAttackSource', { values: ['recognize', 'camera', 'enrollment', 'challenge'] as const });

const PresentationAttackRef = builder.objectRef<PresentationAttackEvent>('PresentationAttack').implement({
  fields: (t) => ({
    at: t.exposeString('at', { description: 'ISO-8601' }),
    source: t.field({ type: AttackSourceEnum, resolve: (e) => e.source }),
    cameraId: t.exposeInt('cameraId', { nullable: true }),
    reason: t.exposeString('reason', { description: 'spoof (passive model) or the refused challenge reason (planar, identity_changed, ...)' }),
    detail: t.exposeString('detail'),
    livenessScore: t.exposeFloat('livenessScore', { nullable: true, description: 'P(live) judged (a median over frames for tracks and challenges)' }),
    threshold: t.exposeFloat('threshold'),
    resembled: t.field({ type: ResembledRef, nullable: true, resolve: (e) => e.resembled }),
    apiKeyId: t.exposeInt('apiKeyId', { nullable: true }),
  }),
});

builder.subscriptionFields((t) => ({
  presentationAttack: t.field({
    type: PresentationAttackRef,
    description: 'Faces judged not live (printed photos, screens) and refused kiosk challenges; filter by camera.',
    authScopes: { permission: 'liveness:alerts' },
    args: { cameraId: t.arg.int() },
    subscribe: (_root, args, ctx) => r.presentationAttack(args, ctx),
    resolve: (event, _args, ctx) => r.presentationAttackEvent(event, ctx),
  }),
}));
