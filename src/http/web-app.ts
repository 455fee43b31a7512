// The web app (web/, built by Vite into web/dist) served at `/`: hashed assets
// with a long cache, every other path without a file extension answered with
// index.html so client-side routes (/live, /attendance...) load the app. The
// API, GraphQL and docs paths are never shadowed: they keep their own 404.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the server, not the app. */
const SERVER_PATHS = /^(api|graphql|graphiql|docs|redoc|openapi\.json)(\/|$)/;

/**
 * Only this origin: the app bundles its fonts and icons, talks to the API and
 * WebSockets of the same host, and shows camera frames from blobs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Face attendance</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem; max-width: 40rem">
<h1>The web app is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm run setup</code>) and reload. The API works meanwhile:
<a href="/docs">REST docs</a>, <a href="/graphql">GraphQL</a>.</p>
</body></html>
`;

export async function registerWebApp(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? WEB_DIST;
  // sendFile only; the catch-all route below decides what each path gets.
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!existsSync(`${root}/index.html`)) {
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(notBuiltPage);
    }
    return reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-cache')
      .sendFile('index.html', { cacheControl: false });
  };

  app.get('/*', {
    config: { auth: 'public' },
    schema: { hide: true },
    handler: async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      if (SERVER_PATHS.test(path)) {
        return reply.callNotFound();
      }
      if (path.startsWith('assets/')) {
        // Vite names them by content hash: they never change.
        return reply.sendFile(path, { maxAge: '365d', immutable: true });
      }
      if (/\.[a-z0-9]+$/i.test(path)) {
        return reply.sendFile(path, { maxAge: '1h' });
      }
      return sendIndex(reply);
    },
  });
}
