// GraphQL resolvers of SVM training and the live recognition models. Shapes
// live in src/schema/training.ts; REST /system/train-model calls the same services.
import type { RequestContext } from '../context.js';
import type { ClassifierModel } from '../generated/prisma/client.js';
import type { RecognitionModelsStatus } from '../services/recognition-models.js';
import type { ModelsReloadOutcome } from '../services/models-reload.js';
import type { TrainingProgressEvent } from '../recognition/events.js';
import type { TrainOutcome } from '../services/training-service.js';

type Maybe<T> = T | null | undefined;

export const trainingResolvers = {
  classifierModels: (args: { take?: Maybe<number> }, ctx: RequestContext): Promise<ClassifierModel[]> =>
    ctx.services.training.listModels({ take: Math.min(100, Math.max(1, args.take ?? 20)) }),

  activeClassifierModel: (ctx: RequestContext): Promise<ClassifierModel | null> => ctx.services.training.activeModel(),

  recognitionModels: async (ctx: RequestContext): Promise<RecognitionModelsStatus> => {
    await ctx.services.recognitionModels.ready();
    return ctx.services.recognitionModels.status();
  },

  trainModel: (args: { forceRetrain?: Maybe<boolean> }, ctx: RequestContext): Promise<TrainOutcome> =>
    ctx.services.training.train({ force: args.forceRetrain ?? false }),

  reloadModels: (ctx: RequestContext): Promise<ModelsReloadOutcome> => ctx.services.modelsReload.reloadEverywhere(),

  trainingProgress: (ctx: RequestContext): AsyncIterable<TrainingProgressEvent> => ctx.pubsub.subscribe('trainingProgress'),
};
