// POST /api/v1/system/train-model and /system/reload-models, with the
// replaced service's JSON shapes. Same services as GraphQL trainModel / reloadModels.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { errorResponses } from './common.js';

const trainBody = z.object({ force_retrain: z.boolean().optional() }).describe('force_retrain: train even if no template changed');

const trainResponse = z.object({
  status: z.enum(['success', 'skipped']),
  message: z.string(),
  reason: z.string().nullable(),
  classifier_model_id: z.number().int().nullable(),
  metrics: z
    .object({ cv_accuracy: z.number(), cv_macro_f1: z.number(), folds: z.number().int(), best_c: z.number(), best_gamma: z.number() })
    .nullable(),
  employee_count: z.number().int(),
  template_count: z.number().int(),
  training_time_ms: z.number().int().nullable(),
  recognition_method: z.enum(['svm', 'cosine', 'none']),
});

const reloadResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  model_pack: z.string().nullable(),
  template_count: z.number().int(),
  employee_count: z.number().int(),
  recognition_method: z.enum(['svm', 'cosine', 'none']),
  classifier_model_id: z.number().int().nullable(),
});

export const trainingRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  app.post('/system/train-model', {
    config: { auth: 'classifier:train' },
    schema: {
      tags: ['system'],
      summary: 'Train the SVM (grid search, in a worker); skipped with fewer than two employees (cosine only)',
      body: trainBody.optional(),
      response: { 200: trainResponse, ...errorResponses(401, 403, 422, 503) },
    },
    handler: async (request) => {
      const outcome = await deps.services.training.train({ force: request.body?.force_retrain ?? false });
      const method = deps.services.recognitionModels.status().method;
      if (outcome.kind === 'skipped') {
        return {
          status: 'skipped' as const,
          message:
            outcome.reason === 'fewer_than_two_employees'
              ? 'Fewer than two employees with templates: recognition uses cosine similarity alone'
              : 'No template changed since the active model; send force_retrain to train anyway',
          reason: outcome.reason,
          classifier_model_id: outcome.classifierModelId ?? null,
          metrics: null,
          employee_count: outcome.employeeCount,
          template_count: outcome.templateCount,
          training_time_ms: null,
          recognition_method: method,
        };
      }
      return {
        status: 'success' as const,
        message: `Model trained on ${outcome.employeeCount} employees`,
        reason: null,
        classifier_model_id: outcome.classifierModelId,
        metrics: {
          cv_accuracy: outcome.metrics.cvAccuracy,
          cv_macro_f1: outcome.metrics.cvMacroF1,
          folds: outcome.metrics.folds,
          best_c: outcome.metrics.best.C,
          best_gamma: outcome.metrics.best.gamma,
        },
        employee_count: outcome.employeeCount,
        template_count: outcome.templateCount,
        training_time_ms: outcome.trainingMs,
        recognition_method: method,
      };
    },
  });

  app.post('/system/reload-models', {
    config: { auth: 'classifier:train' },
    schema: {
      tags: ['system'],
      summary: 'Reload templates and the active SVM from the database',
      response: { 200: reloadResponse, ...errorResponses(401, 403, 503) },
    },
    handler: async () => {
      const models = deps.services.recognitionModels;
      await models.reload();
      const s = models.status();
      return {
        status: 'success' as const,
        message: 'Models reloaded',
        model_pack: s.modelId,
        template_count: s.templateCount,
        employee_count: s.employeeCount,
        recognition_method: s.method,
        classifier_model_id: s.svm?.id ?? null,
      };
    },
  });
};
