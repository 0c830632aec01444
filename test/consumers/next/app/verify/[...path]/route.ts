// #region recipe next
// app/verify/[...path]/route.ts: the relay's browser API and Kount's webhooks under /verify.
import { routeHandlers } from 'k360-verify/relay';
import { getRelay } from '../../../lib/relay';

// The relay is made on the first request. No `runtime` or `dynamic` export (cacheComponents refuses
// them): a catch-all route without generateStaticParams is never prerendered, so Next answers it
// at request time, on Node.
export const { GET, HEAD, POST, OPTIONS } = routeHandlers(getRelay);
// #endregion recipe
