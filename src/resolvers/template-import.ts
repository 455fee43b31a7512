// GraphQL resolver of template import: arguments and context in, one call of the template import
// service (src/services/template-import-service.ts). Shapes live in src/schema/template-import.ts.
import type { RequestContext } from '../context.js';

export interface ImportTemplatesArgs {
  employeeId: number;
  input: { modelId: string; embeddings: number[][]; replace?: boolean | null };
}

export const templateImportResolvers = {
  importTemplates: ({ employeeId, input }: ImportTemplatesArgs, ctx: RequestContext): Promise<{ employeeId: number; templates: number }> =>
    ctx.services.templateImport.importTemplates(ctx.caller, employeeId, {
      modelId: input.modelId,
      embeddings: input.embeddings,
      replace: input.replace ?? false,
    }),
};
