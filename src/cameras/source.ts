// A camera source as the operator writes it (CAMERA_SOURCE, the GraphQL input)
// turned into what the capture worker must open. Parsing never touches the
// file system or the network: a missing file or an unreachable URL is a
// run-time state (reconnecting), not a configuration error.
import { isAbsolute, resolve } from 'node:path';

export type CameraSource =
  | { kind: 'device'; index: number }
  | { kind: 'rtsp'; url: string }
  | { kind: 'http'; url: string }
  | { kind: 'file'; path: string; loop: boolean };

/** The same names as the Prisma enum `CameraSourceKind`. */
export type CameraSourceKind = CameraSource['kind'];

export type ParseSourceResult = { ok: true; source: CameraSource } | { ok: false; error: string };

export interface ParseSourceOptions {
  /** Loop a video file when it ends (CAMERA_LOOP). Ignored for devices and streams. */
  loop?: boolean;
  /** Relative file paths are resolved against this folder (default: the process's working directory). */
  baseDir?: string;
}

const STREAM_SCHEMES: Record<string, 'rtsp' | 'http'> = {
  'rtsp:': 'rtsp',
  'rtsps:': 'rtsp',
  'http:': 'http',
  'https:': 'http',
};

export function parseCameraSource(raw: string, options: ParseSourceOptions = {}): ParseSourceResult {
  const text = raw.trim();
  if (text === '') {
    return { ok: false, error: 'camera source is empty' };
  }
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    return Number.isSafeInteger(index) && index <= 1024
      ? { ok: true, source: { kind: 'device', index } }
      : { ok: false, error: `device index out of range: ${text}` };
  }
  const device = /^\/dev\/video(\d+)$/.exec(text);
  if (device?.[1] !== undefined) {
    return { ok: true, source: { kind: 'device', index: Number(device[1]) } };
  }
  // A scheme of two or more letters (so a Windows drive letter "C:" is a path).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, error: `not a valid URL: ${redactSource(text)}` };
    }
    if (url.protocol === 'file:') {
      return { ok: true, source: { kind: 'file', path: decodeURIComponent(url.pathname), loop: options.loop ?? false } };
    }
    const kind = STREAM_SCHEMES[url.protocol];
    if (kind === undefined) {
      return { ok: false, error: `unsupported URL scheme "${scheme}" (use rtsp://, http(s)://, a device index or a file path)` };
    }
    if (url.hostname === '') {
      return { ok: false, error: `URL has no host: ${redactSource(text)}` };
    }
    return { ok: true, source: { kind, url: text } };
  }
  const path = isAbsolute(text) ? text : resolve(options.baseDir ?? process.cwd(), text);
  return { ok: true, source: { kind: 'file', path, loop: options.loop ?? false } };
}

/** The source as written back to the database / API (`Camera.source`), credentials included. */
export function formatCameraSource(source: CameraSource): string {
  switch (source.kind) {
    case 'device':
      return String(source.index);
    case 'rtsp':
    case 'http':
      return source.url;
    case 'file':
      return source.path;
  }
}

/** Query parameters whose values are secrets in camera URLs (tokens, signatures, passwords). */
const SECRET_PARAM = /pass|pwd|token|secret|key|auth|sig|credential|session/i;

/**
 * For everything shown (API, logs, audit rows): the URL's user and password
 * become "***" and so do secret-looking query values. Not a URL: unchanged.
 */
export function redactSource(text: string): string {
  const withoutUser = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1***:***@');
  const query = withoutUser.indexOf('?');
  if (query === -1 || !/^[a-z][a-z0-9+.-]*:\/\//i.test(withoutUser)) {
    return withoutUser;
  }
  const head = withoutUser.slice(0, query + 1);
  const [params = '', fragment] = withoutUser.slice(query + 1).split('#', 2);
  const masked = params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && SECRET_PARAM.test(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=***` : pair;
    })
    .join('&');
  return `${head}${masked}${fragment === undefined ? '' : `#${fragment}`}`;
}

export function describeCameraSource(source: CameraSource): string {
  const text = redactSource(formatCameraSource(source));
  return source.kind === 'file' && source.loop ? `${text} (loop)` : text;
}

export function isFileSource(source: CameraSource): source is Extract<CameraSource, { kind: 'file' }> {
  return source.kind === 'file';
}
