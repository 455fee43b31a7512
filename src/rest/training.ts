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

const methodJson = z.enum(['svm', 'cosine', 'none']);
const reloadResponse = z.object({
  status: z.enum(['success', 'partial']).describe('partial: an instance failed to reload or did not answer in time'),
  message: z.string(),
  model_pack: z.string().nullable(),
  template_count: z.number().int().describe('This instance (the fields above and below `instances` describe the one that answered)'),
  employee_count: z.number().int(),
  recognition_method: methodJson,
  classifier_model_id: z.number().int().nullable(),
  instances: z
    .array(
      z.object({
        instance_id: z.string(),
        status: z.enum(['reloaded', 'failed']),
        template_count: z.number().int(),
        employee_count: z.number().int(),
        recognition_method: methodJson,
        classifier_model_id: z.number().int().nullable(),
        error: z.string().nullable(),
      }),
    )
    .describe('Every instance that reloaded (or failed to), this one first'),
  not_answered: z.array(z.string()).describe('Live instances that did not answer within 10 s (they reload when the request reaches them)'),
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
      summary: 'Reload templates and the active SVM from the database, on every instance (answers which ones reloaded)',
      response: { 200: reloadResponse, ...errorResponses(401, 403, 503) },
    },
    handler: async () => {
      const outcome = await deps.services.modelsReload.reloadEverywhere();
      const s = outcome.here;
      const reloaded = outcome.instances.filter((i) => i.ok).length;
      const total = outcome.instances.length + outcome.notAnswered.length;
      return {
        status: reloaded === total ? ('success' as const) : ('partial' as const),
        message: total === 1 ? 'Models reloaded' : `Models reloaded on ${reloaded} of ${total} instances`,
        model_pack: s.modelId,
        template_count: s.templateCount,
        employee_count: s.employeeCount,
        recognition_method: s.method,
        classifier_model_id: s.svm?.id ?? null,
        instances: outcome.instances.map((i) => ({
          instance_id: i.instanceId,
          status: i.ok ? ('reloaded' as const) : ('failed' as const),
          template_count: i.templateCount,
          employee_count: i.employeeCount,
          recognition_method: i.method,
          classifier_model_id: i.classifierModelId,
          error: i.error,
        })),
        not_answered: outcome.notAnswered,
      };
    },
  });
};
