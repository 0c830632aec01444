/** `npm run demo:cluster`: the demo on two instances sharing one Redis behind a round-robin balancer. */
import { startCluster, type Cluster } from './cluster.js';

let cluster: Cluster;
try {
  cluster = await startCluster({ instances: Number(process.env.DEMO_INSTANCES ?? 2), port: Number(process.env.PORT ?? 3000) });
} catch (error) {
  console.error(`The demo cluster could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(JSON.stringify({ event: 'demo.cluster.ready', url: cluster.url, instances: cluster.instances.map((instance) => instance.url), redis: cluster.redis?.url }));
console.log(`\nk360-verify demo, ${cluster.instances.length} instances on one Redis:  ${cluster.url}`);
console.log(`  instances (each request goes to the next): ${cluster.instances.map((instance) => instance.url).join(', ')}`);
if (cluster.redis) console.log(`  Redis: ${cluster.redis.url} (its own, stopped with the demo)`);
console.log(`  Sandbox inbox: ${cluster.url}/inbox`);
console.log('Press Ctrl+C to stop.\n');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cluster.close().then(() => process.exit(0));
  });
}
