// The secrets `npm run setup` puts into a fresh .env (from .env.example): a
// SECRET_KEY for API-key hashes, a separate TEMPLATE_ENCRYPTION_KEY for
// biometric data at rest, and a first admin key. Pure, so tests check that
// .env.example becomes a valid configuration once filled.
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../src/auth/api-key-crypto.js';

export interface EnvSecrets {
  secretKey: string;
  templateEncryptionKey: string;
  adminApiKey: string;
}

export function newEnvSecrets(): EnvSecrets {
  return {
    secretKey: randomBytes(32).toString('base64url'),
    templateEncryptionKey: randomBytes(32).toString('base64'),
    adminApiKey: generateApiKey(),
  };
}

export function fillEnvSecrets(exampleText: string, secrets: EnvSecrets): string {
  return exampleText
    .replace(/^SECRET_KEY=.*$/m, `SECRET_KEY=${secrets.secretKey}`)
    .replace(/^TEMPLATE_ENCRYPTION_KEY=.*$/m, `TEMPLATE_ENCRYPTION_KEY=${secrets.templateEncryptionKey}`)
    .replace(/^ADMIN_API_KEY=.*$/m, `ADMIN_API_KEY=${secrets.adminApiKey}`);
}
