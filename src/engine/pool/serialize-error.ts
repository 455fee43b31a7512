// Carries thrown errors across postMessage. Structured clone keeps only
// name/message/stack of Errors (and drops `code` and other own props), so we
// flatten them ourselves and rebuild an Error with the same name and code on
// the other side.
import type { SerializedError } from './protocol.js';

const MAX_CAUSE_DEPTH = 5;
const STANDARD_KEYS = new Set(['name', 'message', 'stack', 'code', 'cause']);

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) {
    // Thrown strings, numbers, plain objects: keep a readable message.
    let message: string;
    try {
      message = typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
    } catch {
      message = String(err);
    }
    return { name: 'Error', message, props: {} };
  }
  const out: SerializedError = { name: err.name, message: err.message, props: {} };
  if (err.stack !== undefined) {
    out.stack = err.stack;
  }
  const code = (err as { code?: unknown }).code;
  if (code !== undefined && cloneable(code)) {
    out.code = code;
  }
  for (const [key, value] of Object.entries(err)) {
    if (!STANDARD_KEYS.has(key) && cloneable(value)) {
      out.props[key] = value;
    }
  }
  if (err.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    out.cause = serializeError(err.cause, depth + 1);
  }
  return out;
}

/** Rebuilds an Error whose `name`, `message`, `code`, `stack` and own props match the worker's. */
export function deserializeError(data: SerializedError): Error {
  const err = new Error(data.message, data.cause ? { cause: deserializeError(data.cause) } : undefined);
  // Own, non-enumerable like the prototype's, so logs show the worker's class name.
  Object.defineProperty(err, 'name', { value: data.name, configurable: true, writable: true, enumerable: false });
  if (data.stack !== undefined) {
    err.stack = data.stack;
  }
  if (data.code !== undefined) {
    (err as Error & { code?: unknown }).code = data.code;
  }
  Object.assign(err, data.props);
  return err;
}
