// `npm run setup` step: writes .env from .env.example with a fresh SECRET_KEY
// and ADMIN_API_KEY, so `npm start` works on a fresh machine without editing
// anything. An existing .env is left alone. The admin key is printed once.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateApiKey } from '../src/auth/api-key-crypto.js';

const target = '.env';
if (existsSync(target)) {
  console.log('.env exists: left as it is');
} else {
  const adminKey = generateApiKey();
  const text = readFileSync('.env.example', 'utf8')
    .replace(/^SECRET_KEY=.*$/m, `SECRET_KEY=${randomBytes(32).toString('base64url')}`)
    .replace(/^ADMIN_API_KEY=.*$/m, `ADMIN_API_KEY=${adminKey}`);
  writeFileSync(target, text, { mode: 0o600 });
  console.log('wrote .env with a new SECRET_KEY and ADMIN_API_KEY');
  console.log(`\n  Admin API key (also in .env; shown only now): ${adminKey}\n`);
  console.log('  Use it as  Authorization: Bearer <key>  or  X-API-Key: <key>\n');
}
