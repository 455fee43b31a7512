// A tiny REST client for tests: JSON in and out, the key as a Bearer header
// (or X-API-Key, or none), raw bodies for malformed-input tests.
export interface RestOptions {
  body?: unknown;
  /** Sent as-is with content-type application/json (malformed JSON tests). */
  rawBody?: string;
  /** null sends no key. */
  key?: string | null;
  keyHeader?: 'authorization' | 'x-api-key';
  headers?: Record<string, string>;
}

export interface RestResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function restRequest<T = unknown>(
  baseUrl: string,
  method: string,
  route: string,
  options: RestOptions = {},
): Promise<RestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key != null) {
    if (options.keyHeader === 'x-api-key') {
      headers['x-api-key'] = options.key;
    } else {
      headers.authorization = `Bearer ${options.key}`;
    }
  }
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${route}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
