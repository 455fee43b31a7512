// .env.example documents every configuration key, and its values parse.
import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../src/config.js';
import { fillEnvSecrets, newEnvSecrets } from '../../scripts/env-secrets.js';

describe('.env.example', () => {
  it('names every key of src/config.ts and nothing else', async () => {
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = Object.keys(parseEnv(text)).sort();
    expect(documented).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('is a valid production configuration once npm run setup has filled its secrets', async () => {
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const result = parseConfig(parseEnv(fillEnvSecrets(text, newEnvSecrets())));
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.config.NODE_ENV).toBe('production');
  });

  it('holds no usable encryption key of its own (setup must write one)', async () => {
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const result = parseConfig(parseEnv(text));
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/^TEMPLATE_ENCRYPTION_KEY:/)]);
  });
});
