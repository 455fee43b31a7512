// `npm run keys:rotate-templates`: a new TEMPLATE_ENCRYPTION_KEY, every face
// template and classifier artifact re-encrypted under it, the old key kept in
// TEMPLATE_ENCRYPTION_PREVIOUS_KEYS (so rows written by instances not yet
// restarted stay readable). Then restart every instance and run
//   npm run keys:rotate-templates -- --reencrypt-only
// to catch rows written meanwhile, and empty TEMPLATE_ENCRYPTION_PREVIOUS_KEYS.
//
// Options: --reencrypt-only (no new key: encrypt plaintext rows from older
// versions and rows under previous keys); --new-key=<base64|hex> (use this key,
// e.g. one from a secrets manager, instead of generating one).
// Without a .env file the new settings are printed for the operator to store.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { decodeAesKey, loadConfigOrExit } from '../src/config.js';
import { createPrisma } from '../src/db/prisma.js';
import { reencryptBiometrics } from '../src/crypto/reencrypt-biometrics.js';
import { templateCipherFromConfig } from '../src/crypto/template-cipher.js';

const envFile = '.env';
if (existsSync(envFile)) {
  loadEnvFile(envFile);
}
const config = loadConfigOrExit();
const args = process.argv.slice(2);
const reencryptOnly = args.includes('--reencrypt-only');
const given = args.find((a) => a.startsWith('--new-key='))?.slice('--new-key='.length);
if (given !== undefined && decodeAesKey(given) === null) {
  console.error('--new-key must be 32 bytes as base64 or hex');
  process.exit(1);
}

let next = config;
if (!reencryptOnly) {
  const newKey = given ?? randomBytes(32).toString('base64');
  const previous = [config.TEMPLATE_ENCRYPTION_KEY, ...(config.TEMPLATE_ENCRYPTION_PREVIOUS_KEYS ?? [])].filter((k) => k !== newKey);
  next = { ...config, TEMPLATE_ENCRYPTION_KEY: newKey, TEMPLATE_ENCRYPTION_PREVIOUS_KEYS: previous };
}
const prisma = createPrisma(config.DATABASE_URL);
try {
  const result = await reencryptBiometrics(prisma, templateCipherFromConfig(next));
  console.log(
    `re-encrypted ${result.templates.rewritten} template(s) (${result.templates.alreadyCurrent} already current), ` +
      `${result.classifiers.rewritten} classifier artifact(s) (${result.classifiers.alreadyCurrent} already current)`,
  );
} catch (error) {
  console.error(`re-encryption failed, nothing in .env changed: ${(error as Error).message}`);
  process.exit(1);
} finally {
  await prisma.$disconnect();
}

if (!reencryptOnly) {
  const lines = {
    TEMPLATE_ENCRYPTION_KEY: next.TEMPLATE_ENCRYPTION_KEY,
    TEMPLATE_ENCRYPTION_PREVIOUS_KEYS: (next.TEMPLATE_ENCRYPTION_PREVIOUS_KEYS ?? []).join(','),
  };
  if (existsSync(envFile) && process.env.TEMPLATE_ENCRYPTION_KEY === config.TEMPLATE_ENCRYPTION_KEY) {
    let text = readFileSync(envFile, 'utf8');
    for (const [name, value] of Object.entries(lines)) {
      const line = new RegExp(`^${name}=.*$`, 'm');
      text = line.test(text) ? text.replace(line, `${name}=${value}`) : `${text.trimEnd()}\n${name}=${value}\n`;
    }
    writeFileSync(envFile, text, { mode: 0o600 });
    console.log('.env updated with the new key (the old one kept as a previous key).');
  } else {
    console.log('Store these settings where the server reads its secrets:');
    for (const [name, value] of Object.entries(lines)) {
      console.log(`  ${name}=${value}`);
    }
  }
  console.log('Now restart every instance, run `npm run keys:rotate-templates -- --reencrypt-only`, then empty TEMPLATE_ENCRYPTION_PREVIOUS_KEYS.');
}
