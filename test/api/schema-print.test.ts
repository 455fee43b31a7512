// schema.graphql is committed; this fails when it no longer matches the Pothos
// schema. Fix: `npm run schema:print` (then `npm run codegen`) and commit both.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderSchema, schemaFile } from '../../scripts/print-schema.js';

describe('schema.graphql', () => {
  it('is up to date with src/schema (run `npm run schema:print`)', async () => {
    const committed = await readFile(schemaFile, 'utf8');
    expect(committed === renderSchema(), 'schema.graphql is stale: run `npm run schema:print`').toBe(true);
  });
});
