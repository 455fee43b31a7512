// The web app's build: `npm run build` (after the typecheck) writes web/dist,
// which the server serves at `/`. `npm run web:dev` runs Vite's dev server with
// the API proxied to a server on :8000 (same origin for cookies and WebSockets).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_ORIGIN ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Fonts stay files (the CSP allows data: fonts too, but files cache better).
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true },
      '/graphql': { target: api, ws: true },
    },
  },
});
