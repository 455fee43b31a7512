// Template import over REST and GraphQL, with the real engine and database: every refusal (422
// for a wrong model id, a wrong length, non-finite numbers, too many or no vectors; 404 unknown
// employee; 403 viewer) leaves nothing stored; imported templates are recognized, trained on,
// checked for duplicate identity and erased like enrolled ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportTemplatesDocument } from '../graphql/generated.js';
import { readFacePhoto, photosOf } from '../helpers/seed-faces.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let modelId: string;
let dim: number;
/** Embeddings of a person's gallery photos, computed by the real engine (what another installation would export). */
const exported = new Map<string, number[][]>();

beforeAll(async () => {
  t = await startTestApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false' } });
  const info = await t.rest<{ model_pack: { loaded: string; embedding_size?: number } }>('GET', '/api/v1/system/info');
  modelId = info.body.model_pack.loaded;
  dim = t.app.deps.faceEngine!.embeddingSize;
  for (const name of ['obama', 'biden']) {
    const vectors: number[][] = [];
    for (const photo of photosOf(name)) {
      const analysis = await t.app.deps.faceEngine!.analyze(readFacePhoto(photo), { embed: true });
      const face = [...analysis.faces].sort((a, b) => b.quality.faceSize - a.quality.faceSize)[0];
      vectors.push([...face!.embedding!]);
    }
    exported.set(name, vectors);
  }
}, 90_000);
afterAll(() => t?.stop());

async function newEmployee(code: string): Promise<number> {
  const res = await t.rest<{ id: number }>('POST', '/api/v1/employees', { body: { employee_code: code, full_name: code } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const stored = (id: number): Promise<number> => t.app.deps.prisma.faceTemplate.count({ where: { employeeId: id } });
const importRest = (id: number, body: unknown, key?: string) =>
  t.rest<{ templates?: number; detail?: unknown }>('POST', `/api/v1/employees/${id}/templates`, { body, ...(key ? { key } : {}) });
const unit = (seed: number): number[] => Array.from({ length: dim }, (_, j) => Math.sin(seed * 7.3 + j * 1.7));

describe('POST /api/v1/employees/{id}/templates: refusals store nothing', () => {
  it.each([
    ['a wrong model id', () => ({ model_id: 'other-pack', embeddings: [unit(1)] }), 'model_id'],
    ['a wrong length', () => ({ model_id: modelId, embeddings: [unit(1), unit(2).slice(0, 128)] }), 'embeddings'],
    ['an all-zero vector', () => ({ model_id: modelId, embeddings: [new Array<number>(dim).fill(0)] }), 'embeddings'],
    ['more than 200 vectors', () => ({ model_id: modelId, embeddings: Array.from({ length: 201 }, (_, i) => unit(i)) }), 'embeddings'],
    ['no vectors', () => ({ model_id: modelId, embeddings: [] }), 'embeddings'],
  ])('422 for %s', async (_what, body, field) => {
    const id = await newEmployee(`IMP-422-${field}-${Math.random().toString(36).slice(2, 8)}`);
    const res = await importRest(id, body());
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(JSON.stringify(res.body.detail)).toContain(field);
    expect(await stored(id)).toBe(0);
  });

  it('422 for non-finite numbers (1e999 parses to Infinity)', async () => {
    const id = await newEmployee('IMP-422-INF');
    const values = unit(3).map(String);
    values[5] = '1e999';
    const res = await t.rest<{ detail: unknown }>('POST', `/api/v1/employees/${id}/templates`, {
      rawBody: `{"model_id":${JSON.stringify(modelId)},"embeddings":[[${values.join(',')}]]}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(JSON.stringify(res.body.detail)).toContain('embeddings');
    expect(await stored(id)).toBe(0);
  });

  it('404 for an unknown employee, 403 for a viewer', async () => {
    expect((await importRest(999_999, { model_id: modelId, embeddings: [unit(1)] })).status).toBe(404);
    const id = await newEmployee('IMP-403');
    const viewer = await t.createKey('viewer');
    expect((await importRest(id, { model_id: modelId, embeddings: [unit(1)] }, viewer)).status).toBe(403);
    expect(await stored(id)).toBe(0);
  });
});

describe('imported templates work like enrolled ones', () => {
  let obamaId: number;
  let bidenId: number;

  it('201 with the count; recognized at once; replace swaps them', async () => {
    obamaId = await newEmployee('IMP-OBAMA');
    const vectors = exported.get('obama')!;
    const res = await importRest(obamaId, { model_id: modelId, embeddings: vectors });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ templates: vectors.length });
    expect(await stored(obamaId)).toBe(vectors.length);
    const recognized = await t.rest<{ faces: { employee_id: number | null }[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: Buffer.from(readFacePhoto('probes/obama-press.jpg')).toString('base64'), log_attendance: false },
    });
    expect(recognized.body.faces).toMatchObject([{ employee_id: obamaId }]);
    const added = await importRest(obamaId, { model_id: modelId, embeddings: vectors.slice(0, 1) });
    expect(added.status).toBe(201);
    expect(await stored(obamaId)).toBe(vectors.length + 1);
    const replaced = await importRest(obamaId, { model_id: modelId, embeddings: vectors.slice(0, 2), replace: true });
    expect(replaced.status).toBe(201);
    expect(await stored(obamaId)).toBe(2);
  }, 30_000);

  it('the same face for someone else is a duplicate identity (409), nothing stored', async () => {
    const other = await newEmployee('IMP-OBAMA-AGAIN');
    const res = await importRest(other, { model_id: modelId, embeddings: exported.get('obama')! });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(await stored(other)).toBe(0);
  });

  it('GraphQL importTemplates: success, typed validation and not-found errors', async () => {
    bidenId = await newEmployee('IMP-BIDEN');
    const ok = await t.gql(ImportTemplatesDocument, { employeeId: bidenId, input: { modelId, embeddings: exported.get('biden')! } });
    expect(ok.data?.importTemplates).toEqual({ __typename: 'ImportTemplatesResult', employeeId: bidenId, templates: exported.get('biden')!.length });
    const bad = await t.gql(ImportTemplatesDocument, { employeeId: bidenId, input: { modelId: 'nope', embeddings: [unit(1).slice(1)] } });
    expect(bad.data?.importTemplates).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    const paths = bad.data?.importTemplates.__typename === 'ValidationError' ? bad.data.importTemplates.issues.map((i) => i.path.join('.')) : [];
    expect(paths).toEqual(['modelId', 'embeddings.0']);
    const missing = await t.gql(ImportTemplatesDocument, { employeeId: 999_999, input: { modelId, embeddings: [unit(1)] } });
    expect(missing.data?.importTemplates).toMatchObject({ __typename: 'EmployeeNotFoundError' });
    expect(await stored(bidenId)).toBe(exported.get('biden')!.length);
  });

  it('imported templates train the classifier and are erased with the employee', async () => {
    const trained = await t.app.services.training.train({ force: true });
    expect(trained).toMatchObject({ kind: 'trained', employeeCount: 2 });
    const erased = await t.rest('DELETE', `/api/v1/employees/${bidenId}?erase=true`);
    expect(erased.status).toBe(200);
    expect(await stored(bidenId)).toBe(0);
    expect(t.app.services.recognitionModels.status()).toMatchObject({ employeeCount: 1 });
  }, 60_000);
});
