// Biometric data at rest: face embeddings and classifier artifacts (whose
// support vectors are embeddings) are stored AES-256-GCM encrypted under
// TEMPLATE_ENCRYPTION_KEY, which is separate from SECRET_KEY so that leaking
// one does not open the other.
//
// Blob layout: MAGIC (4) | key id (4) | IV (12) | tag (16) | ciphertext.
// The key id (first 4 bytes of sha256 of the key) says which key of the ring
// wrote a row, so rows written before a rotation stay readable until
// `npm run keys:rotate-templates` has re-encrypted them. The associated data
// binds a ciphertext to its owner (e.g. `template:v1:<employeeId>:<modelId>`):
// a blob copied onto another employee's row fails to decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeAesKey, type Config } from '../config.js';

/** As float32 LE these 4 bytes are a NaN, which no stored embedding holds: plaintext rows never start so. */
const MAGIC = Buffer.from([0x46, 0x41, 0xc5, 0x7f]);
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const CIPHER_OVERHEAD = MAGIC.length + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

export class TemplateDecryptError extends Error {
  override name = 'TemplateDecryptError';
}

export type StoredBlobState = 'current' | 'old-key' | 'plaintext';

export interface TemplateCipher {
  /** Encrypts under the current key. */
  encrypt(plain: Uint8Array, associatedData: string): Uint8Array<ArrayBuffer>;
  /**
   * Decrypts with whichever key of the ring wrote the blob. A blob without the
   * header is a row from before encryption and is returned as it is (the
   * rotation command encrypts such rows).
   */
  decrypt(blob: Uint8Array, associatedData: string): Uint8Array;
  /** Whether a stored blob needs re-encryption (plaintext or an older key). */
  state(blob: Uint8Array): StoredBlobState;
  /** The first 8 bytes of every blob the current key writes (magic + key id), for SQL checks. */
  readonly currentPrefix: Uint8Array;
}

export function keyIdOf(key: Uint8Array): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
}

export function isEncryptedBlob(blob: Uint8Array): boolean {
  return blob.length >= CIPHER_OVERHEAD && Buffer.from(blob.buffer, blob.byteOffset, MAGIC.length).equals(MAGIC);
}

/** `current` writes; `previous` keys only read (rows not yet rotated). */
export function createTemplateCipher(current: Uint8Array, previous: readonly Uint8Array[] = []): TemplateCipher {
  if (current.length !== 32 || previous.some((k) => k.length !== 32)) {
    throw new RangeError('template encryption keys must be 32 bytes (AES-256)');
  }
  const currentId = keyIdOf(current);
  const ring = new Map<string, Uint8Array>();
  for (const key of [...previous, current]) {
    ring.set(keyIdOf(key).toString('hex'), key);
  }

  return {
    currentPrefix: Buffer.concat([MAGIC, currentId]),
    encrypt(plain, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      const out = new Uint8Array(CIPHER_OVERHEAD + body.length);
      out.set(MAGIC, 0);
      out.set(currentId, MAGIC.length);
      out.set(iv, MAGIC.length + KEY_ID_BYTES);
      out.set(cipher.getAuthTag(), MAGIC.length + KEY_ID_BYTES + IV_BYTES);
      out.set(body, CIPHER_OVERHEAD);
      return out;
    },
    decrypt(blob, associatedData) {
      if (!isEncryptedBlob(blob)) {
        return blob;
      }
      const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
      const keyId = bytes.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES).toString('hex');
      const key = ring.get(keyId);
      if (key === undefined) {
        throw new TemplateDecryptError(`stored biometric data was encrypted with an unknown key (id ${keyId}); add it to TEMPLATE_ENCRYPTION_PREVIOUS_KEYS`);
      }
      const ivStart = MAGIC.length + KEY_ID_BYTES;
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(ivStart, ivStart + IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(bytes.subarray(ivStart + IV_BYTES, CIPHER_OVERHEAD));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(CIPHER_OVERHEAD)), decipher.final()]);
      } catch {
        throw new TemplateDecryptError('stored biometric data failed its integrity check (tampered, or moved to another row)');
      }
    },
    state(blob) {
      if (!isEncryptedBlob(blob)) {
        return 'plaintext';
      }
      return Buffer.from(blob.buffer, blob.byteOffset + MAGIC.length, KEY_ID_BYTES).equals(currentId) ? 'current' : 'old-key';
    },
  };
}

/** Associated data of a face template row. */
export const templateAad = (employeeId: number, modelId: string): string => `template:v1:${employeeId}:${modelId}`;
/** Associated data of a ClassifierModel artifact. */
export const classifierAad = (modelId: string): string => `classifier:v1:${modelId}`;

/** The cipher of a parsed configuration (the keys were validated by src/config.ts). */
export function templateCipherFromConfig(config: Pick<Config, 'TEMPLATE_ENCRYPTION_KEY' | 'TEMPLATE_ENCRYPTION_PREVIOUS_KEYS'>): TemplateCipher {
  const decode = (text: string): Buffer => {
    const key = decodeAesKey(text);
    if (key === null) {
      throw new RangeError('not an AES-256 key');
    }
    return key;
  };
  return createTemplateCipher(decode(config.TEMPLATE_ENCRYPTION_KEY), (config.TEMPLATE_ENCRYPTION_PREVIOUS_KEYS ?? []).map(decode));
}
