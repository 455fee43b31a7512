// Item 5 of the trust issue: biometric data at rest. Templates and classifier
// artifacts are AES-256-GCM ciphertext in the database (not float vectors);
// the documented rotation command re-encrypts them under a new key;
// snapshots are 0600 in 0700 folders; erasing a person leaves no trace in the
// database, the data folder or the models: templates, snapshots (also one
// being written), outbox and dead-letter entries, classifiers trained with
// them, stored idempotent answers, live enrollment sessions. The audit entry stays.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateCipher, isEncryptedBlob, templateAad, classifierAad, TemplateDecryptError } from '../../src/crypto/template-cipher.js';
import { decodeAesKey } from '../../src/config.js';
import { decodeEmbedding } from '../../src/recognition/template-repository.js';
import { deserializeSvm } from '../../src/recognition/svm/serialize-svm.js';
import { DEAD_LETTER_FILE } from '../../src/attendance/outbox.js';
import { employeeId as toEmployeeId } from '../../src/domain/ids.js';
import type { TestApp } from '../helpers/test-app.js';
import { readFacePhoto, seedPeopleFromPhotos, type SeededPerson } from '../helpers/seed-faces.js';
import { databaseFingerprint, photoBase64, startProductionApp } from './fixture.js';

const run = promisify(execFile);
let t: TestApp;
let people: SeededPerson[];

beforeAll(async () => {
  t = await startProductionApp({ env: { WORKER_POOL_SIZE: '1', AUTO_RETRAIN: 'false', AUGMENTATION_COUNT: '1', ATTENDANCE_DEDUPE_MINUTES: '0' } });
  people = await seedPeopleFromPhotos(t.app, ['obama', 'biden', 'kit_harington']);
  const trained = await t.app.services.training.train({ force: true });
  expect(trained.kind).toBe('trained');
}, 180_000);
afterAll(() => t?.stop());

const person = (name: string): SeededPerson => people.find((p) => p.name === name)!;

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(...(entry.isDirectory() ? await filesUnder(full) : [full]));
  }
  return out;
}

describe('encrypted at rest', () => {
  it('stored templates are ciphertext: not float vectors, bound to their row', async () => {
    const rows = await t.db.prisma.faceTemplate.findMany({ select: { employeeId: true, modelId: true, embedding: true } });
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(isEncryptedBlob(row.embedding)).toBe(true);
      // Read as float32 the bytes are no embedding: the header is a NaN, the rest not a unit vector.
      const floats = new Float32Array(new Uint8Array(row.embedding).buffer.slice(0, Math.floor(row.embedding.byteLength / 4) * 4));
      expect(Number.isNaN(floats[0])).toBe(true);
      const norm = Math.hypot(...Array.from(floats.subarray(9, 9 + 512)).filter(Number.isFinite));
      expect(Math.abs(norm - 1)).toBeGreaterThan(0.05);
    }
    const [first] = rows;
    const plain = decodeEmbedding(t.app.deps.templateCipher.decrypt(first!.embedding, templateAad(first!.employeeId, first!.modelId)));
    expect(Math.hypot(...plain)).toBeCloseTo(1, 3);
    // The same blob under another employee's row does not decrypt (integrity, not just secrecy).
    expect(() => t.app.deps.templateCipher.decrypt(first!.embedding, templateAad(first!.employeeId + 1, first!.modelId))).toThrow(TemplateDecryptError);
    // Another key cannot read it.
    expect(() => createTemplateCipher(randomBytes(32)).decrypt(first!.embedding, templateAad(first!.employeeId, first!.modelId))).toThrow(TemplateDecryptError);
  });

  it('classifier artifacts (support vectors are embeddings) are ciphertext too', async () => {
    const model = await t.db.prisma.classifierModel.findFirstOrThrow({ where: { isActive: true } });
    expect(isEncryptedBlob(model.artifact)).toBe(true);
    expect(() => deserializeSvm(model.artifact)).toThrow();
    const svm = deserializeSvm(t.app.deps.templateCipher.decrypt(model.artifact, classifierAad(model.modelId)));
    expect(svm.classes.length).toBe(3);
  });

  it('npm run keys:rotate-templates re-encrypts every row under a new key, the old key kept as previous', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'fa-rotate-')); // no .env there: the new settings are printed
    const { stdout } = await run(join(process.cwd(), 'node_modules/.bin/tsx'), [join(process.cwd(), 'scripts/rotate-template-key.ts')], {
      cwd,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: t.config.DATABASE_URL,
        SECRET_KEY: t.config.SECRET_KEY,
        TEMPLATE_ENCRYPTION_KEY: t.config.TEMPLATE_ENCRYPTION_KEY,
      },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/re-encrypted \d+ template\(s\)/);
    const newKey = /TEMPLATE_ENCRYPTION_KEY=(\S+)/.exec(stdout)?.[1];
    expect(stdout).toContain(`TEMPLATE_ENCRYPTION_PREVIOUS_KEYS=${t.config.TEMPLATE_ENCRYPTION_KEY}`);
    const rotated = createTemplateCipher(decodeAesKey(newKey!)!, [decodeAesKey(t.config.TEMPLATE_ENCRYPTION_KEY)!]);
    const newOnly = createTemplateCipher(decodeAesKey(newKey!)!);
    for (const row of await t.db.prisma.faceTemplate.findMany()) {
      expect(rotated.state(row.embedding)).toBe('current');
      expect(newOnly.decrypt(row.embedding, templateAad(row.employeeId, row.modelId)).byteLength).toBe(2048);
    }
    for (const row of await t.db.prisma.classifierModel.findMany()) {
      expect(rotated.state(row.artifact)).toBe('current');
    }
    // The running app still holds the old key only: put the rows back under it for the tests below.
    const { reencryptBiometrics } = await import('../../src/crypto/reencrypt-biometrics.js');
    const back = createTemplateCipher(decodeAesKey(t.config.TEMPLATE_ENCRYPTION_KEY)!, [decodeAesKey(newKey!)!]);
    const result = await reencryptBiometrics(t.db.prisma, back);
    expect(result.templates.alreadyCurrent).toBe(0);
  }, 150_000);

  it('a bad key refuses to start (config), naming the setting', async () => {
    const { parseConfig } = await import('../../src/config.js');
    for (const bad of ['', 'short', 'z'.repeat(64), randomBytes(16).toString('base64')]) {
      const result = parseConfig({ DATABASE_URL: t.config.DATABASE_URL, SECRET_KEY: t.config.SECRET_KEY, TEMPLATE_ENCRYPTION_KEY: bad });
      expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/^TEMPLATE_ENCRYPTION_KEY:/)]);
    }
  });
});

describe('snapshots', () => {
  it('are written 0600 in 0700 folders', async () => {
    const res = await t.rest<{ faces: { attendance?: { log_id: number } }[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: photoBase64('people/biden/biden-2.jpg') },
    });
    const logId = res.body.faces[0]!.attendance!.log_id;
    const row = await t.db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: logId } });
    expect(row.snapshotPath).not.toBeNull();
    const file = join(t.dataDir, row.snapshotPath!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(file, '..'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(t.dataDir, 'snapshots'))).mode & 0o777).toBe(0o700);
    expect((await stat(t.dataDir)).mode & 0o777).toBe(0o700);
  });

  it('expired snapshots are purged by the retention job', async () => {
    const row = await t.db.prisma.attendanceLog.findFirstOrThrow({ where: { snapshotPath: { not: null } } });
    await t.db.prisma.attendanceLog.update({ where: { id: row.id }, data: { snapshotExpiresAt: new Date(Date.now() - 1000) } });
    expect(await t.app.services.attendance.purgeExpiredSnapshots()).toBeGreaterThanOrEqual(1);
    await expect(stat(join(t.dataDir, row.snapshotPath!))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await t.db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: row.id } })).snapshotPath).toBeNull();
  });
});

describe('erasure leaves nothing', () => {
  it('database, data folder and models hold nothing of the person; the audit entry stays', async () => {
    const obama = person('obama');
    const id = obama.employee.id;
    const app = t.app.deps;
    // Traces of every kind: a logged recognition with its snapshot, a stored idempotent answer,
    // a queued outbox event and a dead-letter line carrying snapshot bytes, a live re-enrollment session.
    const logged = await t.rest<{ faces: { attendance?: { log_id: number } }[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: photoBase64('probes/obama-portrait-1080p.jpg') },
      headers: { 'idempotency-key': 'erase-probe-1' },
    });
    const log = await t.db.prisma.attendanceLog.findUniqueOrThrow({ where: { id: logged.body.faces[0]!.attendance!.log_id } });
    const snapshotBytes = await readFile(join(t.dataDir, log.snapshotPath!));
    const snapshotB64 = snapshotBytes.toString('base64');
    const outbox = t.app.services.attendance.outbox;
    await outbox.stop(); // hold the drainer so the entry stays queued
    await outbox.enqueue({ eventId: 'queued-obama-1', employeeId: id, cameraId: null, at: new Date().toISOString(), confidence: 0.9, method: 'cosine', snapshotJpegBase64: snapshotB64 });
    await appendFile(join(t.dataDir, 'outbox', DEAD_LETTER_FILE), `${JSON.stringify({ entry: { eventId: 'dead-obama', employeeId: id, snapshotJpegBase64: snapshotB64 }, error: 'x' })}\n`);
    await appendFile(join(t.dataDir, 'outbox', DEAD_LETTER_FILE), `${JSON.stringify({ entry: { eventId: 'dead-other', employeeId: person('biden').employee.id }, error: 'x' })}\n`);
    const session = await t.rest<{ session_id: string }>('POST', '/api/v1/employees/register/start', { body: { employee_id: id } });
    expect(session.status).toBe(200);
    await t.rest('POST', `/api/v1/employees/register/frame/${session.body.session_id}`, {
      body: { frame_data: photoBase64('people/obama/obama-1.jpg'), frame_number: 0 },
    });
    expect(await t.db.prisma.idempotencyRecord.count({ where: { subjects: { contains: `,${id},` } } })).toBe(1);
    expect(await t.db.prisma.classifierModel.count()).toBeGreaterThan(0);

    const erased = await t.rest('DELETE', `/api/v1/employees/${id}?erase=true&reason=${encodeURIComponent('request by the person')}`);
    expect(erased.status).toBe(200);

    // Database: no template, no model trained with them, no stored answer, no personal field anywhere.
    expect(await t.db.prisma.faceTemplate.count({ where: { employeeId: id } })).toBe(0);
    for (const m of await t.db.prisma.classifierModel.findMany()) {
      const svm = deserializeSvm(app.templateCipher.decrypt(m.artifact, classifierAad(m.modelId)));
      expect(svm.classes).not.toContain(toEmployeeId(id));
    }
    expect(await t.db.prisma.idempotencyRecord.count({ where: { subjects: { contains: `,${id},` } } })).toBe(0);
    expect(await t.db.prisma.attendanceLog.count({ where: { employeeId: id, snapshotPath: { not: null } } })).toBe(0);
    expect(await t.db.prisma.enrollmentSession.findUniqueOrThrow({ where: { id: session.body.session_id } })).toMatchObject({ status: 'cancelled', pendingEmployee: null });
    const everything = JSON.stringify(
      await Promise.all(
        ['Employee', 'EnrollmentSession', 'AuditLog', 'IdempotencyRecord', 'AttendanceLog', 'ApiKey', 'Camera'].map((table) =>
          t.db.prisma.$queryRawUnsafe(`SELECT * FROM \`${table}\``),
        ),
      ),
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    expect(everything).not.toContain('obama@example.com');
    expect(everything).not.toContain('FACE-obama');
    expect(everything).not.toContain('"Obama"');
    expect(await t.db.prisma.auditLog.count({ where: { action: 'employee.erase', entityId: String(id) } })).toBe(1);

    // Data folder: no file holds the snapshot (raw or base64) or names the person's events.
    for (const file of await filesUnder(t.dataDir)) {
      const content = await readFile(file);
      expect(content.includes(snapshotBytes), file).toBe(false);
      expect(content.toString('latin1').includes(snapshotB64), file).toBe(false);
      expect(content.toString('utf8').includes(`"employeeId":${id},`), file).toBe(false);
    }
    // The other person's dead letter is kept.
    expect(await readFile(join(t.dataDir, 'outbox', DEAD_LETTER_FILE), 'utf8')).toContain('dead-other');
    expect(outbox.hasPending(id)).toBe(false);

    // Models: not recognized any more, and a retrain builds a model without them.
    const again = await t.rest<{ faces: { employee_id: number | null }[] }>('POST', '/api/v1/recognition/recognize', {
      body: { frame_data: photoBase64('probes/obama-portrait-1080p.jpg'), log_attendance: false },
    });
    expect(again.body.faces[0]?.employee_id).toBeNull();
    const retrained = await t.app.services.training.train({ force: true });
    expect(retrained.kind).toBe('trained');
    await outbox.start();
  }, 120_000);

  it('a snapshot being written while the person is erased does not survive', async () => {
    const kit = person('kit_harington');
    const photo = readFacePhoto('people/kit_harington/kit-1.jpg');
    const engine = t.app.deps.faceEngine!;
    const face = (await engine.analyze(photo, { embed: false, alignedCrops: true })).faces[0]!;
    const service = t.app.services.attendance;
    const writes = Array.from({ length: 6 }, (_, i) =>
      service.recordRecognition({ eventId: `race-${i}`, employeeId: toEmployeeId(kit.employee.id), at: new Date(), confidence: 0.9, method: 'cosine', snapshotJpeg: face.alignedJpeg! }),
    );
    const erase = t.rest('DELETE', `/api/v1/employees/${kit.employee.id}?erase=true`);
    await Promise.allSettled([...writes, erase]);
    await new Promise((r) => setTimeout(r, 200));
    const files = (await filesUnder(join(t.dataDir, 'snapshots'))).filter((f) => /race-\d/.test(f));
    expect(files).toEqual([]);
    expect(await t.db.prisma.attendanceLog.count({ where: { employeeId: kit.employee.id, snapshotPath: { not: null } } })).toBe(0);
  });

  it('bad erasure requests change nothing', async () => {
    const biden = person('biden');
    const operator = await t.createKey('operator');
    const fingerprint = await databaseFingerprint(t.db.prisma);
    expect((await t.rest('DELETE', `/api/v1/employees/${biden.employee.id}?erase=true`, { key: operator })).status).toBe(403);
    expect((await t.rest('DELETE', '/api/v1/employees/999999?erase=true')).status).toBe(404);
    expect((await t.rest('DELETE', `/api/v1/employees/${biden.employee.id}?erase=true&reason=${'r'.repeat(600)}`)).status).toBe(422);
    expect(await databaseFingerprint(t.db.prisma)).toEqual(fingerprint);
  });
});
