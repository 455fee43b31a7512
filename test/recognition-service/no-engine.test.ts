// Without installed models the server still starts; face features answer 503
// with the fix in `detail`, everything else works.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FACE_MODELS_MISSING } from '../../src/engine/require-face-engine.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { MODELS_DIR: '/nonexistent/models' } });
}, 60_000);
afterAll(() => t?.stop());

it('starts without an engine and answers face features 503', async () => {
  expect(t.app.deps.faceEngine).toBeNull();
  const health = await t.rest('GET', '/api/v1/system/health');
  expect(health.status).toBe(200);
  const rec = await t.rest('POST', '/api/v1/recognition/recognize', { body: { frame_data: Buffer.from('x').toString('base64') } });
  expect(rec).toMatchObject({ status: 503, body: { detail: FACE_MODELS_MISSING } });
  const train = await t.rest('POST', '/api/v1/system/train-model', { body: {} });
  expect(train).toMatchObject({ status: 503, body: { detail: FACE_MODELS_MISSING } });
  const reload = await t.rest<{ recognition_method: string }>('POST', '/api/v1/system/reload-models');
  expect(reload.body.recognition_method).toBe('none');
});
