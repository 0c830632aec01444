/** The demo cluster's round-robin balancer in a process of its own: `TARGETS=url,url tsx test/bench/balancer.ts`. */
import { startRoundRobinProxy } from '../../demo/cluster/round-robin-proxy.js';

const proxy = await startRoundRobinProxy({ targets: (process.env.TARGETS ?? '').split(',').filter(Boolean) });
console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${proxy.port}` }));
