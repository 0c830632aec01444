/**
 * The standalone relay for the bench, started as `k360-verify relay` starts it (src/cli/relay-command.ts):
 * its configuration read from the environment by `loadServiceConfig`, then `startRelayService`,
 * with its public listener (the browser API) and its admin listener (`/admin/v1/…`, health). No
 * route of the bench's own: the load's sessions are started through the admin API, as a shop's
 * backend in another language starts them. Prints `{"event":"ready","url":<public>,"admin":<admin>}`.
 */
import { loadServiceConfig } from '../../src/relay/service/service-config.js';
import { startRelayService } from '../../src/relay/service/relay-service.js';

const service = await startRelayService(await loadServiceConfig(process.env));
console.log(JSON.stringify({ event: 'ready', url: service.publicUrl, admin: service.adminUrl }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void service.stop(signal).then(() => process.exit(0)));
