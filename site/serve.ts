/**
 * Serves a built docs site as any static host would (its e2e test uses it; so can you, to look at
 * it: `npx tsx site/serve.ts [dist/docs-site] [port]`). Files only, nothing generated: what works
 * here works on any host. The pages carry their policy in a `<meta>`; the one part of it a
 * `<meta>` cannot carry, `frame-ancestors`, is sent as a header.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
};

export interface ServedSite {
  url: string;
  close(): Promise<void>;
}

export async function serveSite(rootDir: string, port = 0, host = '127.0.0.1'): Promise<ServedSite> {
  const root = resolve(rootDir);
  const server: Server = createServer((request, response) => {
    void (async () => {
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://site').pathname);
      } catch {
        pathname = '';
      }
      let file = join(root, pathname);
      if (!pathname || (file !== root && !file.startsWith(root + sep))) {
        response.writeHead(400).end('Bad request');
        return;
      }
      const found = await stat(file).catch(() => null);
      if (found?.isDirectory()) file = join(file, 'index.html');
      const type = TYPES[extname(file).toLowerCase()];
      const isFile = await stat(file).then((entry) => entry.isFile(), () => false);
      if (!isFile || !type || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      response.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        ...(type.startsWith('text/html') ? { 'content-security-policy': "frame-ancestors 'none'" } : {}),
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    })();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const site = await serveSite(process.argv[2] ?? 'dist/docs-site', Number(process.argv[3] ?? 4173));
  console.log(`The docs site: ${site.url}/`);
}
