// The one list of REST plugins, all mounted under /api/v1 with the app's
// context (services, config, loaders).
// Adding a domain = one line here (see src/rest/employees.ts for the shape).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { apiKeyRoutes } from './api-keys.js';
import { attendanceRoutes } from './attendance.js';
import { attendanceAuditRoutes } from './attendance-audit.js';
import { cameraRoutes } from './cameras.js';
import { employeeRoutes } from './employees.js';
import { enrollmentRoutes } from './enrollment.js';
import { liveRoutes } from './live.js';
import { livenessRoutes } from './liveness.js';
import { recognitionRoutes } from './recognition.js';
import { systemRoutes } from './system.js';
import { trainingRoutes } from './training.js';

export const restPlugins: FastifyPluginAsyncZod<{ deps: AppContext }>[] = [systemRoutes, employeeRoutes, apiKeyRoutes, attendanceRoutes, attendanceAuditRoutes, cameraRoutes, liveRoutes, recognitionRoutes, trainingRoutes, enrollmentRoutes, livenessRoutes];
