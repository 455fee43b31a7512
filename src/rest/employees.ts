// Employee REST shims with the replaced service's paths and snake_case fields.
// They call the same service as GraphQL (src/services/employee-service.ts).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Employee } from '../generated/prisma/client.js';
import type { AppContext } from '../context.js';
import type { Loaders } from '../loaders.js';
import { can } from '../auth/permissions.js';
import { requireCaller } from '../http/route-auth.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, employeeFieldSchemas as f } from '../services/employee-service.js';
import { errorResponses, idParams, isoDate, isoDateOrNull } from './common.js';

const employeeJson = z
  .object({
    id: z.number().int(),
    employee_code: z.string(),
    full_name: z.string(),
    email: z.string().nullable(),
    department: z.string().nullable(),
    is_active: z.boolean(),
    awaiting_approval: z.boolean().describe('Enrolled at a kiosk, not recognized until approved (POST /employees/{id}/approve)'),
    template_count: z.number().int().describe('Stored face templates'),
    last_seen_at: z.string().nullable().describe('Newest attendance time (ISO-8601)'),
    erased_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('Employee');

const createBody = z.object({
  employee_code: f.employeeCode,
  full_name: f.fullName,
  email: f.email.optional(),
  department: f.department.optional(),
  is_active: f.isActive.optional(),
});
const updateBody = createBody.partial().describe('Omitted fields stay as they are; null clears email or department');

const listQuery = z.object({
  skip: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  page: z.coerce.number().int().min(1).optional().describe('1-based page, with page_size (instead of skip/limit)'),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  department: z.string().optional(),
  is_active: z.enum(['true', 'false']).optional(),
  search: z.string().optional().describe('Substring of full name, employee code or e-mail'),
});

const importBody = z.object({
  model_id: z.string().describe('The loaded model pack (GET /api/v1/system/info: model_pack.loaded)'),
  embeddings: z.array(z.array(z.number())).describe('Face embeddings of that pack, one per template (1 to 200)'),
  replace: z.boolean().optional().describe("true: replace the employee's templates of this pack; false (default): add"),
});

const deleteQuery = z.object({
  erase: z.enum(['true', 'false']).optional().describe('true: right-to-erasure (admin) instead of deactivation'),
  reason: z.string().max(512).optional(),
});

async function toJson(employee: Employee, loaders: Loaders): Promise<z.output<typeof employeeJson>> {
  const [templateCount, latest] = await Promise.all([
    loaders.templateCountByEmployee.load(employee.id),
    loaders.latestAttendanceByEmployee.load(employee.id),
  ]);
  return {
    id: employee.id,
    employee_code: employee.employeeCode,
    full_name: employee.fullName,
    email: employee.email,
    department: employee.department,
    is_active: employee.isActive,
    awaiting_approval: employee.awaitingApproval,
    template_count: templateCount,
    last_seen_at: isoDateOrNull(latest?.checkInTime ?? null),
    erased_at: isoDateOrNull(employee.erasedAt),
    created_at: isoDate(employee.createdAt),
    updated_at: isoDate(employee.updatedAt),
  };
}

export const employeeRoutes: FastifyPluginAsyncZod<{ deps: AppContext }> = async (app, { deps }) => {
  const employees = deps.services.employees;
  app.post('/employees', {
    config: { auth: 'employees:write' },
    schema: {
      tags: ['employees'],
      summary: 'Create an employee (without enrollment)',
      body: createBody,
      response: { 201: employeeJson, ...errorResponses(401, 403, 409, 422) },
    },
    handler: async (request, reply) => {
      const b = request.body;
      const employee = await employees.create(requireCaller(request), {
        employeeCode: b.employee_code,
        fullName: b.full_name,
        email: b.email,
        department: b.department,
        isActive: b.is_active,
      });
      return reply.status(201).send(await toJson(employee, deps.newLoaders()));
    },
  });

  app.get('/employees', {
    config: { auth: 'employees:read' },
    schema: {
      tags: ['employees'],
      summary: 'List employees (erased ones are left out); total in X-Total-Count',
      querystring: listQuery,
      response: { 200: z.array(employeeJson), ...errorResponses(401, 403, 422) },
    },
    handler: async (request, reply) => {
      const q = request.query;
      const take = q.page_size ?? q.limit ?? DEFAULT_PAGE_SIZE;
      const skip = q.page !== undefined ? (q.page - 1) * take : (q.skip ?? 0);
      const page = await employees.list({
        filter: {
          department: q.department,
          isActive: q.is_active === undefined ? undefined : q.is_active === 'true',
          search: q.search,
        },
        skip,
        take,
      });
      const loaders = deps.newLoaders();
      void reply.header('x-total-count', String(page.totalCount));
      return Promise.all(page.items.map((e) => toJson(e, loaders)));
    },
  });

  app.get('/employees/:id', {
    config: { auth: 'employees:read' },
    schema: {
      tags: ['employees'],
      summary: 'Get one employee',
      params: idParams,
      response: { 200: employeeJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request) => toJson(await employees.get(request.params.id), deps.newLoaders()),
  });

  app.put('/employees/:id', {
    config: { auth: 'employees:write' },
    schema: {
      tags: ['employees'],
      summary: 'Update an employee (partial)',
      params: idParams,
      body: updateBody,
      response: { 200: employeeJson, ...errorResponses(401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const b = request.body;
      const employee = await employees.update(requireCaller(request), request.params.id, {
        employeeCode: b.employee_code,
        fullName: b.full_name,
        email: b.email,
        department: b.department,
        isActive: b.is_active,
      });
      return toJson(employee, deps.newLoaders());
    },
  });

  app.post('/employees/:id/templates', {
    config: { auth: 'enrollment:write' },
    schema: {
      tags: ['employees'],
      summary: 'Import face templates (embeddings of the loaded model pack, e.g. from another installation)',
      params: idParams,
      body: importBody,
      response: { 201: z.object({ templates: z.number().int().describe('Templates stored by this request') }), ...errorResponses(401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const b = request.body;
      try {
        const result = await deps.services.templateImport.importTemplates(requireCaller(request), request.params.id, {
          modelId: b.model_id,
          embeddings: b.embeddings,
          replace: b.replace ?? false,
        });
        return await reply.status(201).send({ templates: result.templates });
      } catch (error) {
        // The service names fields as GraphQL does; this API's field is model_id.
        if (error instanceof ValidationError) {
          throw new ValidationError(error.issues.map((i) => ({ ...i, path: i.path.map((p) => (p === 'modelId' ? 'model_id' : p)) })));
        }
        throw error;
      }
    },
  });

  app.post('/employees/:id/approve', {
    config: { auth: 'enrollment:write' },
    schema: {
      tags: ['employees'],
      summary: 'Approve an employee enrolled at a kiosk: recognized from now on (ENROLLMENT_APPROVAL)',
      params: idParams,
      response: { 200: employeeJson, ...errorResponses(401, 403, 404, 409) },
    },
    handler: async (request) => toJson(await deps.services.approvals.approve(requireCaller(request), request.params.id), deps.newLoaders()),
  });

  app.delete('/employees/:id', {
    config: { auth: 'employees:write' },
    schema: {
      tags: ['employees'],
      summary: 'Deactivate an employee (soft delete); ?erase=true erases personal data and face templates (admin)',
      params: idParams,
      querystring: deleteQuery,
      response: { 200: employeeJson, ...errorResponses(401, 403, 404, 422) },
    },
    handler: async (request) => {
      const caller = requireCaller(request);
      const { id } = request.params;
      if (request.query.erase === 'true') {
        if (!can(caller.role, 'employees:erase')) {
          throw new ForbiddenError(`Role ${caller.role} may not erase employees`);
        }
        // Every trace of the face, not only the row (src/services/erasure-service.ts).
        return toJson(await deps.services.erasure.erase(caller, id, request.query.reason), deps.newLoaders());
      }
      return toJson(await employees.deactivate(caller, id), deps.newLoaders());
    },
  });
};
