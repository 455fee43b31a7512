// SVM training and the live recognition models: trainModel / reloadModels
// mutations, classifierModels / activeClassifierModel / recognitionModels
// queries, trainingProgress subscription. Same service as REST /system/train-model.
import { builder } from './builder.js';
import type { ClassifierModel } from '../generated/prisma/client.js';
import type { RecognitionModelsStatus } from '../services/recognition-models.js';
import type { InstanceReload, ModelsReloadOutcome } from '../services/models-reload.js';
import type { TrainingProgressEvent } from '../recognition/events.js';
import type { TrainOutcome } from '../services/training-service.js';
import { trainingResolvers as r } from '../resolvers/training.js';

const ClassifierModelRef = builder.objectRef<ClassifierModel>('ClassifierModel').implement({
  description: 'A trained SVM (its artifact stays server-side).',
  fields: (t) => ({
    id: t.exposeInt('id'),
    modelPack: t.exposeString('modelId'),
    kind: t.exposeString('kind'),
    isActive: t.exposeBoolean('isActive'),
    templateCount: t.exposeInt('templateCount'),
    employeeCount: t.exposeInt('employeeCount'),
    trainingMs: t.exposeInt('trainingMs'),
    params: t.field({ type: 'JSON', resolve: (m) => m.params }),
    metrics: t.field({ type: 'JSON', description: 'CV accuracy, macro-F1, grid, phase timings', resolve: (m) => m.metrics }),
    cvAccuracy: t.float({ nullable: true, resolve: (m) => (m.metrics as { cvAccuracy?: number } | null)?.cvAccuracy ?? null }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.createdAt }),
  }),
});

const TrainStatusEnum = builder.enumType('TrainStatus', { values: ['trained', 'skipped'] as const });

const TrainResultRef = builder.objectRef<TrainOutcome>('TrainResult').implement({
  fields: (t) => ({
    status: t.field({ type: TrainStatusEnum, resolve: (o) => o.kind }),
    reason: t.string({ nullable: true, description: 'fewer_than_two_employees | unchanged', resolve: (o) => (o.kind === 'skipped' ? o.reason : null) }),
    classifierModelId: t.int({ nullable: true, resolve: (o) => o.classifierModelId ?? null }),
    employeeCount: t.exposeInt('employeeCount'),
    templateCount: t.exposeInt('templateCount'),
    trainingMs: t.int({ nullable: true, resolve: (o) => (o.kind === 'trained' ? o.trainingMs : null) }),
    cvAccuracy: t.float({ nullable: true, resolve: (o) => (o.kind === 'trained' ? o.metrics.cvAccuracy : null) }),
    metrics: t.field({ type: 'JSON', nullable: true, resolve: (o) => (o.kind === 'trained' ? o.metrics : null) }),
    live: t.boolean({ resolve: (o) => o.kind === 'trained' && o.live }),
  }),
});

const RecognitionModelsRef = builder.objectRef<RecognitionModelsStatus>('RecognitionModels').implement({
  fields: (t) => ({
    modelPack: t.exposeString('modelId', { nullable: true }),
    templateCount: t.exposeInt('templateCount'),
    employeeCount: t.exposeInt('employeeCount'),
    method: t.exposeString('method', { description: 'svm | cosine | none (no engine)' }),
    classifierModelId: t.int({ nullable: true, resolve: (s) => s.svm?.id ?? null }),
    trainedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.svm?.trainedAt ?? null }),
    loadedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.loadedAt }),
  }),
});

const InstanceReloadRef = builder.objectRef<InstanceReload>('InstanceModelsReload').implement({
  description: "One instance's answer to reloadModels.",
  fields: (t) => ({
    instanceId: t.exposeString('instanceId'),
    ok: t.exposeBoolean('ok'),
    templateCount: t.exposeInt('templateCount'),
    employeeCount: t.exposeInt('employeeCount'),
    method: t.exposeString('method', { description: 'svm | cosine | none (no engine)' }),
    classifierModelId: t.exposeInt('classifierModelId', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const ModelsReloadRef = builder.objectRef<ModelsReloadOutcome>('ModelsReload').implement({
  description: "reloadModels: this instance's models (the fields of RecognitionModels) and every instance's answer.",
  fields: (t) => ({
    modelPack: t.string({ nullable: true, resolve: (o) => o.here.modelId }),
    templateCount: t.int({ resolve: (o) => o.here.templateCount }),
    employeeCount: t.int({ resolve: (o) => o.here.employeeCount }),
    method: t.string({ description: 'svm | cosine | none (no engine)', resolve: (o) => o.here.method }),
    classifierModelId: t.int({ nullable: true, resolve: (o) => o.here.svm?.id ?? null }),
    trainedAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.here.svm?.trainedAt ?? null }),
    loadedAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.here.loadedAt }),
    instances: t.field({ type: [InstanceReloadRef], description: 'Every instance that reloaded (or failed to), this one first', resolve: (o) => o.instances }),
    notAnswered: t.stringList({ description: 'Live instances that did not answer within 10 s', resolve: (o) => o.notAnswered }),
  }),
});

const TrainingProgressRef = builder.objectRef<TrainingProgressEvent>('TrainingProgress').implement({
  fields: (t) => ({
    status: t.exposeString('status', { description: 'started | running | finished | failed' }),
    phase: t.exposeString('phase', { nullable: true, description: 'select | gram | grid | refit | calibrate' }),
    done: t.exposeInt('done'),
    total: t.exposeInt('total'),
    message: t.exposeString('message', { nullable: true }),
    at: t.exposeString('at'),
  }),
});

builder.queryFields((t) => ({
  classifierModels: t.field({
    type: [ClassifierModelRef],
    authScopes: { permission: 'classifier:read' },
    args: { take: t.arg.int({ description: 'Newest first, default 20' }) },
    resolve: (_root, args, ctx) => r.classifierModels(args, ctx),
  }),
  activeClassifierModel: t.field({
    type: ClassifierModelRef,
    nullable: true,
    authScopes: { permission: 'classifier:read' },
    resolve: (_root, _args, ctx) => r.activeClassifierModel(ctx),
  }),
  recognitionModels: t.field({
    type: RecognitionModelsRef,
    authScopes: { permission: 'classifier:read' },
    resolve: (_root, _args, ctx) => r.recognitionModels(ctx),
  }),
}));

builder.mutationFields((t) => ({
  trainModel: t.field({
    type: TrainResultRef,
    description: 'Train the SVM on the stored templates (joins a running training). Fewer than two employees: skipped, cosine only.',
    authScopes: { permission: 'classifier:train' },
    args: { forceRetrain: t.arg.boolean() },
    resolve: (_root, args, ctx) => r.trainModel(args, ctx),
  }),
  reloadModels: t.field({
    type: ModelsReloadRef,
    description: 'Reload templates and the active SVM from the database, on every instance; says which instances reloaded.',
    authScopes: { permission: 'classifier:train' },
    resolve: (_root, _args, ctx) => r.reloadModels(ctx),
  }),
}));

builder.subscriptionFields((t) => ({
  trainingProgress: t.field({
    type: TrainingProgressRef,
    authScopes: { permission: 'classifier:read' },
    subscribe: (_root, _args, ctx) => r.trainingProgress(ctx),
    resolve: (event) => event,
  }),
}));
