import { Hono } from 'hono';
import { FaultSpec, type FaultStore } from './faults.js';
import { readJsonBody } from './json-body.js';
import { refuseCrossSiteChanges } from './same-site-guard.js';
import type { SandboxStats } from './endpoints.js';

export interface ControlDependencies {
  readonly faults: FaultStore;
  readonly stats: () => SandboxStats;
  readonly reset: () => void;
}

/** Test controls: fault injection, reset and counters. */
export function controlRoutes({ faults, stats, reset }: ControlDependencies): Hono {
  const routes = new Hono();
  routes.use('*', refuseCrossSiteChanges);
  routes.post('/faults', async (c) => {
    const body = await readJsonBody(c, FaultSpec);
    if (!body.ok) return body.response;
    return c.json(faults.add(body.value), 201);
  });
  routes.get('/faults', (c) => c.json({ faults: faults.list() }));
  routes.delete('/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });
  routes.post('/reset', (c) => {
    reset();
    return c.body(null, 204);
  });
  routes.get('/stats', (c) => c.json(stats()));
  return routes;
}
