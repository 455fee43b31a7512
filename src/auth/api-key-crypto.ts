// API keys are 32 random bytes, so a keyed fast hash (HMAC-SHA256 with
// SECRET_KEY) is enough at rest: there is nothing to brute-force.
import { createHmac, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'fa_';
/** Characters of the key kept in clear (ApiKey.prefix) so listings can tell keys apart. */
const SHOWN_PREFIX_LENGTH = 10;

export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key, 'utf8').digest('hex');
}

export function displayPrefix(key: string): string {
  return key.slice(0, SHOWN_PREFIX_LENGTH);
}

/** Reads `Authorization: Bearer <key>` or `X-API-Key: <key>`; the former wins. */
export function extractApiKey(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) {
      return match[1];
    }
  }
  const apiKey = first(headers['x-api-key'])?.trim();
  return apiKey !== undefined && apiKey !== '' ? apiKey : null;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
