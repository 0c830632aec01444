/**
 * What the store checks when it connects, so a deployment pointed at the wrong kind of Redis stops
 * at start-up with the variable to change, and how a Redis failure is worded in a log line: by its
 * reply's name (`CROSSSLOT`, `MOVED`, `READONLY`, `NOREPLICAS`…), never the URL (it may carry a password).
 */
import { TopologyMismatch, type RedisConnection, type StoreMode } from './connection.js';

export interface Topology {
  /** Replicas connected to the primary (on a cluster, the fewest of any primary). */
  replicas: number;
  /** AOF or RDB snapshots on every primary, as far as Redis says. */
  persistent: boolean;
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

export async function checkTopology(connection: RedisConnection, mode: StoreMode): Promise<Topology> {
  const replication = await connection.info('replication');
  if (mode === 'standalone') {
    const [cluster] = await connection.info('cluster');
    if (field(cluster ?? '', 'cluster_enabled') === '1') {
      throw new TopologyMismatch('RELAY_STORE_MODE: RELAY_STORE_URL is a node of a Redis Cluster; set RELAY_STORE_MODE=cluster (and list one or more of its nodes)');
    }
    if (field(replication[0] ?? '', 'role') === 'slave') {
      throw new TopologyMismatch('RELAY_STORE_URL names a replica, which refuses writes; give the primary, or RELAY_STORE_MODE=sentinel with the sentinels');
    }
  }
  const replicas = Math.min(...replication.map((text) => Number(field(text, 'connected_slaves') ?? '0')));
  const persistence = await connection.info('persistence');
  // RDB snapshots are on when Redis has a save schedule; INFO does not say, CONFIG may be refused (managed Redis).
  let snapshots: boolean | undefined;
  try {
    const reply = (await connection.command<string[]>(undefined, ['CONFIG', 'GET', 'save'])) ?? [];
    snapshots = typeof reply[1] === 'string' ? reply[1].trim() !== '' : undefined;
  } catch {
    snapshots = undefined;
  }
  const persistent = persistence.every((text) => field(text, 'aof_enabled') === '1') || snapshots !== false;
  return { replicas: Number.isFinite(replicas) ? replicas : 0, persistent };
}

const NAMED_REPLIES = ['CROSSSLOT', 'MOVED', 'ASK', 'READONLY', 'NOREPLICAS', 'CLUSTERDOWN', 'TRYAGAIN', 'MASTERDOWN', 'NOPERM', 'WRONGTYPE', 'OOM', 'LOADING', 'MISCONF', 'NOSCRIPT', 'BUSY'];

/** What went wrong, in words that never include the URL (it may carry the password). */
export function describeConnectionError(error: unknown, mode: StoreMode = 'standalone'): string {
  // node-redis may wrap the socket's error (a reconnection strategy that gave up): look through the causes.
  const chain: unknown[] = [];
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  const text = chain.map((item) => `${(item as { code?: unknown }).code ?? ''} ${item instanceof Error ? `${item.name} ${item.message}` : String(item)}`).join(' ');
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(text)) return 'Redis refused the user name or password (check the credentials in the URL)';
  if (/cluster support disabled/i.test(text)) return 'RELAY_STORE_MODE is cluster, but this Redis is not a cluster node (cluster support disabled); set RELAY_STORE_MODE=standalone';
  if (mode === 'standalone' && /SELECT is not allowed in cluster mode/i.test(text)) return 'RELAY_STORE_MODE: this Redis is a cluster node; set RELAY_STORE_MODE=cluster';
  if (/ECONNREFUSED/.test(text)) return 'nothing is listening at that host and port (is Redis running?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'the host name does not resolve';
  const named = NAMED_REPLIES.find((name) => new RegExp(`\\b${name}\\b`).test(text));
  if (named !== undefined) return `Redis refused a command (${named})`;
  if (/timeout|timed out/i.test(text)) return 'Redis did not answer in time';
  if (/closed|offline/i.test(text)) return 'the connection to Redis is closed';
  if (/\bERR\b/.test(text)) return 'Redis refused a command (ERR)';
  return error instanceof Error ? error.name : 'unknown error';
}
