// importTemplates: face embeddings of the loaded model pack stored as an employee's templates
// (migration from another installation, or loading a big gallery). Resolved by
// src/resolvers/template-import.ts.
import { EmployeeNotFoundError, ValidationError } from '../domain/errors.js';
import { DuplicateIdentityError } from '../enrollment/enrollment-errors.js';
import { templateImportResolvers as r } from '../resolvers/template-import.js';
import { builder } from './builder.js';

const ImportTemplatesInput = builder.inputType('ImportTemplatesInput', {
  fields: (t) => ({
    modelId: t.string({ required: true, description: 'The loaded model pack (systemInfo.modelPack.loaded).' }),
    embeddings: t.field({ type: t.listRef(t.listRef('Float', { required: true }), { required: true }), required: true, description: 'One embedding per template, 1 to 200.' }),
    replace: t.boolean({ description: "true: replace the employee's templates of this pack; false (default): add." }),
  }),
});

const ImportTemplatesResultRef = builder.objectRef<{ employeeId: number; templates: number }>('ImportTemplatesResult').implement({
  fields: (t) => ({
    employeeId: t.exposeInt('employeeId'),
    templates: t.exposeInt('templates', { description: 'Templates stored by this request.' }),
  }),
});

builder.mutationFields((t) => ({
  importTemplates: t.field({
    type: ImportTemplatesResultRef,
    authScopes: { permission: 'enrollment:write' },
    errors: { types: [EmployeeNotFoundError, ValidationError, DuplicateIdentityError], directResult: true },
    args: { employeeId: t.arg.int({ required: true }), input: t.arg({ type: ImportTemplatesInput, required: true }) },
    resolve: (_root, args, ctx) => r.importTemplates(args, ctx),
  }),
}));
