// `npm run setup` step: writes .env from .env.example with a fresh SECRET_KEY,
// TEMPLATE_ENCRYPTION_KEY and ADMIN_API_KEY, so `npm start` works on a fresh
// machine without editing anything. An existing .env is left alone, except that
// a missing TEMPLATE_ENCRYPTION_KEY is added (installs from before it existed).
// The admin key is printed once.
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fillEnvSecrets, newEnvSecrets } from './env-secrets.js';

const target = '.env';
const secrets = newEnvSecrets();
if (existsSync(target)) {
  const current = parseEnv(readFileSync(target, 'utf8'));
  if (current.TEMPLATE_ENCRYPTION_KEY === undefined || current.TEMPLATE_ENCRYPTION_KEY === '') {
    const text = readFileSync(target, 'utf8');
    if (/^TEMPLATE_ENCRYPTION_KEY=\s*$/m.test(text)) {
      writeFileSync(target, text.replace(/^TEMPLATE_ENCRYPTION_KEY=\s*$/m, `TEMPLATE_ENCRYPTION_KEY=${secrets.templateEncryptionKey}`));
    } else {
      appendFileSync(target, `\n# Added by npm run setup: encrypts face templates at rest (keep it apart from database backups)\nTEMPLATE_ENCRYPTION_KEY=${secrets.templateEncryptionKey}\n`);
    }
    chmodSync(target, 0o600);
    console.log('.env exists: added a TEMPLATE_ENCRYPTION_KEY; then run npm run keys:rotate-templates -- --reencrypt-only to encrypt existing templates');
  } else {
    console.log('.env exists: left as it is');
  }
} else {
  writeFileSync(target, fillEnvSecrets(readFileSync('.env.example', 'utf8'), secrets), { mode: 0o600 });
  console.log('wrote .env with a new SECRET_KEY, TEMPLATE_ENCRYPTION_KEY and ADMIN_API_KEY');
  console.log(`\n  Admin API key (also in .env; shown only now): ${secrets.adminApiKey}\n`);
  console.log('  Use it as  Authorization: Bearer <key>  or  X-API-Key: <key>\n');
}
