/**
 * `k360-verify/relay/fastify`: the relay in a Fastify 5 app.
 *
 * ```ts
 * await app.register(relayPlugin, { relay });    // no prefix: the relay routes on RELAY_BASE_PATH
 * ```
 * The plugin's routes read their bodies as raw bytes whatever parsers the app registers (they
 * live in the plugin's own encapsulated context), so answers are validated as sent and Kount's
 * webhook signatures are checked over the exact bytes. Responses, event streams included, are
 * written straight to Node's response.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { toNodeListener } from './node.js';
import type { Relay } from './relay.js';

export interface RelayPluginOptions {
  relay: Pick<Relay, 'fetch' | 'basePath'>;
}

/** Larger than any body the relay takes, so its own limits (and their error answers) apply. */
const RAW_BODY_LIMIT_BYTES = 1024 * 1024;

export const relayPlugin: FastifyPluginAsync<RelayPluginOptions> = async (fastify, { relay }) => {
  if (fastify.prefix !== '') {
    throw new Error(`Register relayPlugin without a prefix (got "${fastify.prefix}"): the relay answers on its own base path; set RELAY_BASE_PATH to move it.`);
  }
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
  const listener = toNodeListener(relay);
  const base = relay.basePath === '/' ? '' : relay.basePath;
  for (const url of base === '' ? ['/*'] : [base, `${base}/*`]) {
    fastify.all(url, async (request, reply) => {
      const incoming = request.raw as IncomingMessage & { rawBody?: Buffer };
      if (Buffer.isBuffer(request.body)) incoming.rawBody = request.body;
      // The relay writes the response itself (streams included); Fastify leaves it alone.
      reply.hijack();
      await listener(incoming, reply.raw);
    });
  }
};
