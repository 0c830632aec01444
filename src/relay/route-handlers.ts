/**
 * The relay as the `GET`/`POST`/… exports of a fetch-style route file: a Next.js App Router
 * catch-all route (`app/verify/[...path]/route.ts`), or any framework whose routes take a
 * standard `Request` and answer a `Response`. Such frameworks hand the body over unread, so the
 * relay reads and checks it itself.
 */
import type { Relay } from './relay.js';

export type RouteHandler = (request: Request) => Promise<Response>;

type FetchRelay = Pick<Relay, 'fetch'>;

/**
 * `relay`: the relay, or a function that makes it (`() => createRelay(relayOptionsFromEnv())`).
 * A function is called on the first request, not when the route file is loaded: `next build`
 * loads route files with none of the KOUNT_* and RELAY_* secrets in its environment. It is called
 * once, however many requests arrive together; if it throws, those requests fail and the next one
 * calls it again.
 */
export function routeHandlers(relay: FetchRelay | (() => FetchRelay | Promise<FetchRelay>)): {
  GET: RouteHandler;
  HEAD: RouteHandler;
  POST: RouteHandler;
  OPTIONS: RouteHandler;
} {
  const relayNow = typeof relay === 'function' ? once(relay) : () => relay;
  const handle: RouteHandler = async (request) => (await relayNow()).fetch(request);
  return { GET: handle, HEAD: handle, POST: handle, OPTIONS: handle };
}

/** `create`'s result, shared by every caller from the first on; a failure is not kept. */
function once<T>(create: () => T | Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= Promise.resolve()
      .then(create)
      .catch((error: unknown) => {
        made = undefined;
        throw error;
      }));
}
