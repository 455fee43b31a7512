// Browser sessions: the web app exchanges an API key once for an HttpOnly
// cookie, so images, streams and WebSockets work without keys in URLs or in
// page memory. The cookie holds a signed session, never the key: the key's id,
// an expiry and a fingerprint of the key's stored hash, signed (HMAC-SHA256)
// with a key derived from SECRET_KEY. Every use looks the key up by id, so a
// revoked (or replaced) key's sessions stop working at the next request.
// Stateless: signing out clears the cookie; a copied cookie lives until expiry.
import { createHmac, randomBytes } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { PrismaClient } from '../generated/prisma/client.js';
import { apiKeyId, cameraId } from '../domain/ids.js';
import type { Caller } from './caller.js';

export const SESSION_COOKIE = 'fa_session';
/** A working day and then some: staff sign in once per shift. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** Hex characters of the key's stored hash kept in the session, so a new key under a reused id never matches. */
const FINGERPRINT_LENGTH = 16;

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  /** The cookie's Max-Age. */
  maxAgeSeconds: number;
}

export interface SessionAuth {
  /** A signed session for a caller whose key was just checked. */
  issue(caller: Caller): Promise<IssuedSession>;
  /** The caller behind a session token; null when forged, expired, or the key is revoked. */
  resolve(token: string): Promise<Caller | null>;
  /** The session cookie from a Cookie header: undefined when there is none, else as resolve(). */
  fromCookieHeader(header: string | undefined): Promise<Caller | null | undefined>;
}

interface Claims {
  apiKeyId: number;
  expiresAt: number; // epoch seconds
  fingerprint: string;
}

export function createSessionAuth(deps: { prisma: PrismaClient; secretKey: string; clock: () => Date }): SessionAuth {
  // A key of its own, so a session signature can never double as an API key hash.
  const signingKey = createHmac('sha256', deps.secretKey).update('face-attendance web session v1').digest();
  const nowSeconds = (): number => Math.floor(deps.clock().getTime() / 1000);

  const keyRow = (id: number) => deps.prisma.apiKey.findUnique({ where: { id } });

  const resolve = async (token: string): Promise<Caller | null> => {
    const claims = readToken(token, signingKey);
    if (claims === null || claims.expiresAt <= nowSeconds()) {
      return null;
    }
    const row = await keyRow(claims.apiKeyId);
    if (row === null || row.revokedAt !== null || !row.keyHash.startsWith(claims.fingerprint)) {
      return null;
    }
    return { apiKeyId: apiKeyId(row.id), name: row.name, role: row.role, cameraId: row.cameraId === null ? null : cameraId(row.cameraId) };
  };

  return {
    async issue(caller) {
      const row = await keyRow(caller.apiKeyId);
      if (row === null) {
        throw new Error(`API key ${caller.apiKeyId} vanished while signing in`);
      }
      const expiresAt = nowSeconds() + SESSION_TTL_SECONDS;
      // The nonce makes every session token distinct (two sign-ins in the same second).
      const value = [caller.apiKeyId, expiresAt, row.keyHash.slice(0, FINGERPRINT_LENGTH), randomBytes(6).toString('base64url')].join('.');
      return { token: fastifyCookie.sign(value, signingKey), expiresAt: new Date(expiresAt * 1000), maxAgeSeconds: SESSION_TTL_SECONDS };
    },
    resolve,
    async fromCookieHeader(header) {
      if (header === undefined || header === '') {
        return undefined;
      }
      const token = fastifyCookie.parse(header)[SESSION_COOKIE];
      return token === undefined || token === '' ? undefined : resolve(token);
    },
  };
}

function readToken(token: string, signingKey: Buffer): Claims | null {
  const unsigned = fastifyCookie.unsign(token, signingKey);
  if (!unsigned.valid || unsigned.value === null) {
    return null;
  }
  const [id, expires, fingerprint] = unsigned.value.split('.');
  const claims = { apiKeyId: Number(id), expiresAt: Number(expires), fingerprint: fingerprint ?? '' };
  const wellFormed = Number.isSafeInteger(claims.apiKeyId) && Number.isSafeInteger(claims.expiresAt) && claims.fingerprint.length === FINGERPRINT_LENGTH;
  return wellFormed ? claims : null;
}
