import { Hono } from 'hono';
import { readJsonBody } from './json-body.js';
import { refuseCrossSiteChanges } from './same-site-guard.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookFaultSpec } from './webhook-faults.js';

/**
 * `GET /sandbox/webhooks.json`: the target, events (with their exact bodies) and every delivery
 * attempt with the receiver's status. `POST/GET/DELETE /sandbox/webhook-faults`: sender misbehaviour.
 * `GET /sandbox/webhook-public-key.pem`: the signing key's public half.
 */
export function webhookRoutes(webhooks: WebhookDispatcher, publicKeyPem: () => string): Hono {
  const routes = new Hono();
  // Public by nature: lets a relay in another process be configured with the key (KOUNT_WEBHOOK_PUBLIC_KEY).
  routes.get('/webhook-public-key.pem', (c) => c.body(publicKeyPem(), 200, { 'Content-Type': 'application/x-pem-file' }));
  routes.use('/webhook-faults', refuseCrossSiteChanges);
  routes.get('/webhooks.json', (c) =>
    c.json({ target: webhooks.target ?? null, events: webhooks.events(), deliveries: webhooks.deliveries(), faults: webhooks.faults() }),
  );
  routes.post('/webhook-faults', async (c) => {
    const body = await readJsonBody(c, WebhookFaultSpec);
    if (!body.ok) return body.response;
    return c.json(webhooks.addFault(body.value), 201);
  });
  routes.get('/webhook-faults', (c) => c.json({ faults: webhooks.faults() }));
  routes.delete('/webhook-faults', (c) => {
    webhooks.clearFaults();
    return c.body(null, 204);
  });
  return routes;
}
