// Tells "the database could not be reached" (queue the event and retry) from
// every other error (a bug or bad data: retrying would not help).
//
// What the stack raises when the server goes away, seen through a proxy that
// cuts the TCP connections (test/attendance/outbox-proxy.test.ts):
// - a query on a pooled connection that was cut: PrismaClientKnownRequestError
//   with code 'EPIPE' (or ECONNRESET);
// - then, while nothing answers: code 'P2010' (raw query) / 'P2039' (transaction
//   start) / others, wrapping the driver's errno 45028 "pool timeout";
// - the mariadb driver's own socket errnos (45009 socket closed, 45012 connect
//   timeout, ...) arrive the same way, as `meta.driverAdapterError.cause.code`.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
]);

// Prisma: can't reach server, timed out, server closed the connection, pool timeout.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);

// mariadb driver errnos about sockets and the pool (lib/misc/errors.js), plus
// the server's "shutdown in progress" / "gone away" / "lost connection".
const DRIVER_ERRNOS = new Set([
  45001, 45004, 45009, 45012, 45013, 45019, 45026, 45027, 45028, 45035, 45037, 45039, 45042, 45061, 1053,
  1927, 2002, 2003, 2006, 2013,
]);

const MESSAGE_PATTERNS = [/pool timeout/i, /connection closed/i, /socket has unexpectedly been closed/i, /Can't reach database server/i];

type ErrorLike = { code?: unknown; errorCode?: unknown; errno?: unknown; message?: unknown; cause?: unknown; meta?: unknown; kind?: unknown };

function children(e: ErrorLike): unknown[] {
  const out: unknown[] = [e.cause];
  if (e.meta && typeof e.meta === 'object') {
    out.push((e.meta as { driverAdapterError?: unknown }).driverAdapterError);
  }
  return out;
}

export function isDatabaseUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) {
      continue;
    }
    seen.add(e);
    const err = e as ErrorLike;
    // PrismaClientInitializationError carries its P-code as `errorCode`.
    for (const c of [err.code, err.errorCode]) {
      if (typeof c === 'string' && (NETWORK_CODES.has(c) || PRISMA_CODES.has(c))) {
        return true;
      }
    }
    // The adapter reports driver errnos as a numeric `code` on its cause object.
    for (const n of [err.code, err.errno]) {
      if (typeof n === 'number' && DRIVER_ERRNOS.has(n)) {
        return true;
      }
    }
    if (typeof err.message === 'string' && MESSAGE_PATTERNS.some((p) => p.test(err.message as string))) {
      return true;
    }
    stack.push(...children(err));
  }
  return false;
}
