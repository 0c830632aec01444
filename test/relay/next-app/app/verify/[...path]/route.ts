// app/verify/[...path]/route.ts: the relay's browser API and Kount's webhooks under /verify.
import { routeHandlers } from 'k360-verify/relay';
import { relay } from '../../../lib/relay.js';

// The relay needs Node's crypto (and Redis, if configured), and its answers are never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, OPTIONS } = routeHandlers(relay);
