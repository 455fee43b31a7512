// GraphiQL from this server alone: yoga's default page loads its scripts from a
// public CDN, which factory and office LANs often cannot reach. The bundle comes
// from the npm package @graphql-yoga/render-graphiql. Its own renderGraphiQL
// inlines all of it (~9 MB: script, styles, editor workers, favicon) in every
// page; here the page is small and the bundle is served once per package
// version under GRAPHIQL_ASSETS_PATH, which browsers keep (immutable).
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { GraphiQLOptions } from 'graphql-yoga';

const require = createRequire(import.meta.url);
const { version } = require('@graphql-yoga/render-graphiql/package.json') as { version: string };

/** Versioned, so a new package version is never mixed with a cached old bundle. */
export const GRAPHIQL_ASSETS_PATH = `/graphiql/${version}`;

const ASSET_NAMES = ['graphiql.js', 'graphiql.css', 'favicon.ico'] as const;
type AssetName = (typeof ASSET_NAMES)[number];
interface Asset {
  type: string;
  body: Buffer;
}

const isAssetName = (name: string): name is AssetName => (ASSET_NAMES as readonly string[]).includes(name);

async function loadAssets(): Promise<Record<AssetName, Asset>> {
  // 9 MB of module: loaded on the first GraphiQL request, never when GraphiQL is off.
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  // Monaco's workers ship as source text; each becomes a blob: URL, as on the package's own page.
  const script = `(function () {
  function prepareBlob(source) {
    return URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
  }
  var workers = {
    editorWorkerService: prepareBlob(${JSON.stringify(bundle.editorWorkerService)}),
    json: prepareBlob(${JSON.stringify(bundle.jsonWorker)}),
    graphql: prepareBlob(${JSON.stringify(bundle.graphqlWorker)}),
  };
  self['MonacoEnvironment'] = {
    globalAPI: false,
    getWorkerUrl: function (moduleId, label) {
      return workers[label];
    },
  };
})();
${bundle.js};
`;
  const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  return {
    'graphiql.js': { type: 'application/javascript; charset=utf-8', body: Buffer.from(script) },
    'graphiql.css': { type: 'text/css; charset=utf-8', body: Buffer.from(bundle.css) },
    'favicon.ico': {
      type: favicon?.[1] ?? 'image/x-icon',
      body: favicon?.[2] === undefined ? Buffer.alloc(0) : Buffer.from(favicon[2], 'base64'),
    },
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** yoga's `renderGraphiQL`: the page for GET /graphql with Accept: text/html. */
export function renderGraphiQlPage(options: GraphiQLOptions = {}): string {
  // Inside <script>, '<' is escaped so no option value can close the element.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${escapeHtml(options.favicon ?? `${GRAPHIQL_ASSETS_PATH}/favicon.ico`)}" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script src="${GRAPHIQL_ASSETS_PATH}/graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${json});
    </script>
  </body>
</html>
`;
}

/** The bundle the page references; mounted only when GraphiQL is on. */
export function mountGraphiQlAssets(app: FastifyInstance): void {
  let assets: Promise<Record<AssetName, Asset>> | undefined;
  app.get<{ Params: { file: string } }>(`${GRAPHIQL_ASSETS_PATH}/:file`, { schema: { hide: true } }, async (request, reply) => {
    const name = request.params.file;
    if (!isAssetName(name)) {
      return reply.callNotFound();
    }
    assets ??= loadAssets().catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    const asset = (await assets)[name];
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
}
