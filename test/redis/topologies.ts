/**
 * Real Redis topologies for the store tests: a Redis Cluster, and a Sentinel set (a primary, its
 * replica and the sentinels watching them). Every node is Debian's redis-server on free loopback
 * ports, in a temp directory of its own, in a process group of its own (a signal reaches anything
 * it forked for a full sync), stopped with the test process (demo/cluster/child-processes.ts) and
 * by `close()`, which also deletes the directories. Never a shared or system Redis.
 *
 * Every wait is bounded and, when it runs out, says what it was still waiting for and shows the
 * tail of the nodes' own logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@redis/client';
import { stopWithParent } from '../../demo/cluster/child-processes.js';
import { freePort, redisServerPath } from '../../demo/cluster/redis-server.js';

/** redis-cli (Debian: redis-tools, a dependency of redis-server); beside redis-server unless REDIS_CLI_PATH says otherwise. */
const redisCliPath = process.env.REDIS_CLI_PATH ?? join(dirname(redisServerPath), 'redis-cli');

const HOST = '127.0.0.1';
const POLL_MS = 150;
const READY_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const COMMAND_MS = 2_000;
const CLUSTER_SLOTS = 16384;
const CLUSTER_NODE_TIMEOUT_MS = 2_000;
const CLUSTER_READY_MS = 20_000;
const SENTINEL_READY_MS = 20_000;
const FAILOVER_MS = 30_000;
/** A replica's full sync starts at once, not after the default 5 s wait for more replicas to share it. */
const FAST_SYNC = ['--repl-diskless-sync-delay', '0'];

export interface RedisClusterOptions {
  /** Primaries, each with its share of the 16384 slots; at least 3 (redis-cli --cluster create refuses fewer). Default 3. */
  primaries?: number;
  /** Replicas of each primary. Default 0. */
  replicasPerPrimary?: number;
}

export interface RedisClusterNode {
  readonly port: number;
  readonly url: string;
  /** As of the last time the fixture waited for the cluster: start, and `startNode()`. A failover changes it. */
  readonly role: 'primary' | 'replica';
}

export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** Comma-separated redis:// URLs of the primaries at start (any node serves as a seed). */
  readonly seedUrls: string;
  /**
   * Stops node `index` (SIGTERM; its nodes.conf stays for `startNode`) and resolves once it has
   * exited. The others notice after cluster-node-timeout (2 s): its replica, if it has one, takes
   * over its slots; without one the cluster says cluster_state:fail until it is back.
   */
  stopNode(index: number): Promise<void>;
  /**
   * Starts a stopped node again on its ports with its nodes.conf, and resolves once it has rejoined
   * (it knows every node and no running node flags it as failing); when no node is left stopped,
   * once the whole cluster is healthy again (a former primary whose replica took over is now a replica).
   */
  startNode(index: number): Promise<void>;
  /** Stops every node and deletes their directories. */
  close(): Promise<void>;
}

export interface RedisSentinelOptions {
  /** The name the sentinels monitor the primary under. Default 'k360'. */
  name?: string;
  /** How many sentinels; the quorum is 2 (1 with a single sentinel). Default 3. */
  sentinels?: number;
}

export interface RedisDataNode {
  readonly port: number;
  readonly url: string;
}

export interface RedisSentinelSet {
  readonly name: string;
  /** Comma-separated redis:// URLs of the sentinels. */
  readonly sentinelUrls: string;
  /** The primary as a sentinel reports it (SENTINEL GET-MASTER-ADDR-BY-NAME). */
  primary(): Promise<{ host: string; port: number }>;
  /** The primary first, as started; which one is primary now is `primary()`. */
  readonly dataNodes: readonly RedisDataNode[];
  /**
   * SENTINEL FAILOVER on one sentinel; resolves once every sentinel reports the other node as
   * primary, that node says role:master, and the former primary replicates from it (link up; the
   * fixture sends it REPLICAOF, which a sentinel would do itself only 8 s later) and every sentinel
   * lists it as a reachable replica: ready for the next failover() or killPrimary().
   */
  failover(): Promise<void>;
  /** SIGKILLs the current primary; resolves once every sentinel reports the replica as primary and it says role:master. */
  killPrimary(): Promise<void>;
  /** Starts a killed data node again, as a replica of the current primary; resolves once its link is up and every sentinel lists it as a reachable replica. */
  restartNode(port: number): Promise<void>;
  /** Stops the sentinels, then the data nodes, and deletes their directories. */
  close(): Promise<void>;
}

function requireBinary(path: string, name: string, debianPackage: string, variable: string): void {
  if (!existsSync(path)) {
    throw new Error(`${name} is missing at ${path}. Install it (Debian: sudo apt-get install -y ${debianPackage}) or set ${variable}.`);
  }
}

/** One redis-server process: its own process group, killed with the test process, its log kept (the tail) for error messages. */
class RedisProcess {
  #child: ChildProcess | null = null;
  #log = '';

  constructor(
    readonly label: string,
    private readonly args: () => string[],
    /** The log line that says it is ready. */
    private readonly readyLine: string,
  ) {}

  get running(): boolean {
    return this.#child !== null && !hasExited(this.#child);
  }

  logTail(lines = 25): string {
    return `--- ${this.label} (last lines of its log) ---\n${this.#log.split('\n').slice(-lines).join('\n')}`;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.label} is already running`);
    const args = this.args();
    const child = spawn(redisServerPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.#child = child;
    stopWithParent(child);
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString();
      this.#log = (this.#log + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    try {
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error): void => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          child.off('close', exited);
          child.off('error', failed);
          if (error) reject(error);
          else resolve();
        };
        const check = (): void => {
          if (output.includes(this.readyLine)) done();
        };
        // 'close', not 'exit': by then its output has been read to the end (why it stopped, e.g. "Address already in use").
        const exited = (code: number | null, signal: NodeJS.Signals | null): void =>
          done(new Error(`${redisServerPath} (${this.label}) exited (${signal ?? code}) before it was ready:\n${output}`));
        const failed = (error: Error): void => done(new Error(`could not run ${redisServerPath} (${this.label}): ${error.message}`));
        const timer = setTimeout(
          () => done(new Error(`${redisServerPath} (${this.label}) did not say "${this.readyLine}" within ${READY_MS} ms; arguments: ${args.join(' ')}\n${output}`)),
          READY_MS,
        );
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.once('close', exited);
        child.once('error', failed);
      });
    } catch (error) {
      await this.stop('SIGKILL');
      throw error;
    }
  }

  /** Sends `signal` to its process group and waits for it to exit; SIGKILL after a grace period. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || hasExited(child)) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGCONT');
    signalGroup(child, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_GRACE_MS)))]);
    clearTimeout(timer);
    if (late) {
      signalGroup(child, 'SIGKILL');
      await exited;
    }
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Starts a fresh process on newly picked free ports, picking again if one was taken in between (up to 3 tries). */
async function startOnFreePorts<T extends { process: RedisProcess }>(count: number, taken: Set<number>, make: (ports: number[]) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const ports: number[] = [];
    for (let picks = 0; ports.length < count; picks += 1) {
      if (picks > 50) throw new Error('no free loopback port found');
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        ports.push(port);
      }
    }
    const made = await make(ports);
    try {
      await made.process.start();
      return made;
    } catch (error) {
      if (attempt < 3 && error instanceof Error && error.message.includes('Address already in use')) continue;
      throw error;
    }
  }
}

/** Runs a command on a node with a connection of its own; Redis errors are thrown (ErrorReply). */
async function call(port: number, args: string[]): Promise<unknown> {
  const client = createClient({ socket: { host: HOST, port, connectTimeout: COMMAND_MS, reconnectStrategy: false }, disableClientInfo: true });
  client.on('error', () => {
    // connect() and sendCommand() reject with it
  });
  try {
    await client.connect();
    return await client.sendCommand(args, { timeout: COMMAND_MS });
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** `key:value` lines (INFO, CLUSTER INFO). */
async function fields(port: number, args: string[]): Promise<Map<string, string>> {
  const text = String(await call(port, args));
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

/** A flat [field, value, …] reply (SENTINEL MASTER, an element of SENTINEL REPLICAS). */
function pairs(reply: unknown): Map<string, string> {
  const map = new Map<string, string>();
  const list = Array.isArray(reply) ? reply : [];
  for (let index = 0; index + 1 < list.length; index += 2) map.set(String(list[index]), String(list[index + 1]));
  return map;
}

/** Polls `check` (null: done; otherwise what it still waits for) until done or `timeoutMs` runs out. */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<string | null>, logs: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    try {
      const missing = await check();
      if (missing === null) return;
      last = missing;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const tail = logs();
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${last})${tail ? `\n${tail}` : ''}`);
    }
    await sleep(POLL_MS);
  }
}

/** Runs a short-lived binary (redis-cli), killed with the test process and after `timeoutMs`. */
async function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  stopWithParent(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const plain = (): string => output.replace(/\x1b\[[0-9;]*m/g, '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${plain()}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binary}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(plain());
      else reject(new Error(`${binary} ${args.join(' ')} failed (${signal ?? code}):\n${plain()}`));
    });
  });
}

/** The temp directories of topologies not closed yet: removed should the test process exit without closing them (a crash; a signal skips 'exit'). */
const openRoots = new Set<string>();
let removeOnExitInstalled = false;

function removeOnExit(root: string): void {
  openRoots.add(root);
  if (removeOnExitInstalled) return;
  removeOnExitInstalled = true;
  process.once('exit', () => {
    for (const dir of openRoots) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a node killed this very moment may still be writing in it
      }
    }
  });
}

async function removeRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
  openRoots.delete(root);
}

async function stopAll(processes: RedisProcess[]): Promise<void> {
  await Promise.allSettled(processes.map((node) => node.stop()));
}

// ————————————————————————————————————————— Redis Cluster —————————————————————————————————————————

interface ClusterMember {
  port: number;
  busPort: number;
  dir: string;
  process: RedisProcess;
  id: string;
  role: 'primary' | 'replica';
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicasPerPrimary = options.replicasPerPrimary ?? 0;
  if (!Number.isInteger(primaries) || primaries < 3) throw new RangeError(`a Redis Cluster needs at least 3 primaries (redis-cli --cluster create refuses fewer); got ${primaries}`);
  if (!Number.isInteger(replicasPerPrimary) || replicasPerPrimary < 0) throw new RangeError(`replicasPerPrimary must be a whole number ≥ 0; got ${replicasPerPrimary}`);
  requireBinary(redisServerPath, 'redis-server', 'redis-server', 'REDIS_SERVER_PATH');
  requireBinary(redisCliPath, 'redis-cli', 'redis-tools', 'REDIS_CLI_PATH');

  const total = primaries * (1 + replicasPerPrimary);
  const root = await mkdtemp(join(tmpdir(), 'k360-redis-cluster-'));
  removeOnExit(root);
  const taken = new Set<number>();
  const members: ClusterMember[] = [];
  const launching: RedisProcess[] = [];
  const logs = (): string => members.map((member) => member.process.logTail(8)).join('\n');

  const launch = async (index: number): Promise<ClusterMember> =>
    startOnFreePorts(2, taken, async ([port, busPort]) => {
      const dir = join(root, `node-${index}`);
      await rm(dir, { recursive: true, force: true }); // a try that lost its port may have left a nodes.conf naming it
      await mkdir(dir);
      const args = [
        '--port', String(port), '--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', 'nodes.conf',
        '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS), '--appendonly', 'no', '--save', '', '--bind', HOST, '--dir', dir,
        ...FAST_SYNC,
      ];
      const node = new RedisProcess(`cluster node ${index} (port ${port}, bus ${busPort})`, () => args, 'Ready to accept connections');
      launching.push(node);
      return { port, busPort, dir, process: node, id: '', role: 'primary' as const };
    });

  /** null when every node says the cluster is whole: all slots served, every node known, `primaries` primaries, every replica linked. */
  const unhealthy = async (): Promise<string | null> => {
    let primariesSeen = 0;
    for (const [index, member] of members.entries()) {
      const info = await fields(member.port, ['CLUSTER', 'INFO']);
      if (info.get('cluster_state') !== 'ok') return `node ${index}: cluster_state:${info.get('cluster_state')}`;
      if (info.get('cluster_slots_ok') !== String(CLUSTER_SLOTS)) return `node ${index}: cluster_slots_ok:${info.get('cluster_slots_ok')}`;
      if (info.get('cluster_known_nodes') !== String(total)) return `node ${index}: cluster_known_nodes:${info.get('cluster_known_nodes')}`;
      const replication = await fields(member.port, ['INFO', 'replication']);
      if (replication.get('role') === 'master') primariesSeen += 1;
      else if (replication.get('master_link_status') !== 'up') return `node ${index}: replica with master_link_status:${replication.get('master_link_status')}`;
    }
    return primariesSeen === primaries ? null : `${primariesSeen} primaries, not ${primaries}`;
  };

  const refreshRoles = async (): Promise<void> => {
    for (const member of members) {
      if (!member.process.running) continue;
      const replication = await fields(member.port, ['INFO', 'replication']);
      member.role = replication.get('role') === 'master' ? 'primary' : 'replica';
    }
  };

  const waitHealthy = async (what: string): Promise<void> => {
    await waitFor(what, CLUSTER_READY_MS, unhealthy, logs);
    await refreshRoles();
  };

  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    await stopAll(launching);
    await removeRoot(root);
  };

  try {
    const started = await Promise.allSettled(Array.from({ length: total }, (_, index) => launch(index)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    for (const result of started) if (result.status === 'fulfilled') members.push(result.value);

    const output = await run(redisCliPath, ['--cluster', 'create', ...members.map((member) => `${HOST}:${member.port}`), '--cluster-replicas', String(replicasPerPrimary), '--cluster-yes'], 30_000);
    if (!output.includes(`[OK] All ${CLUSTER_SLOTS} slots covered`)) throw new Error(`redis-cli --cluster create did not cover every slot:\n${output}`);
    for (const member of members) member.id = String(await call(member.port, ['CLUSTER', 'MYID']));
    await waitHealthy(`Redis Cluster of ${primaries} primaries with ${replicasPerPrimary} replica(s) each to be ready`);
  } catch (error) {
    await close();
    throw error;
  }

  const seedUrls = members.filter((member) => member.role === 'primary').map((member) => `redis://${HOST}:${member.port}`).join(',');
  const nodes: RedisClusterNode[] = members.map((member) => ({
    port: member.port,
    url: `redis://${HOST}:${member.port}`,
    get role() {
      return member.role;
    },
  }));
  const memberAt = (index: number): ClusterMember => {
    if (closed) throw new Error('the Redis Cluster is closed');
    const member = members[index];
    if (member === undefined) throw new RangeError(`no cluster node ${index}; there are ${members.length}`);
    return member;
  };

  return {
    nodes,
    seedUrls,
    async stopNode(index) {
      await memberAt(index).process.stop();
    },
    async startNode(index) {
      const member = memberAt(index);
      await member.process.start();
      await waitFor(
        `cluster node ${index} (port ${member.port}) to rejoin`,
        CLUSTER_READY_MS,
        async () => {
          const info = await fields(member.port, ['CLUSTER', 'INFO']);
          if (info.get('cluster_known_nodes') !== String(total)) return `it knows ${info.get('cluster_known_nodes')} nodes`;
          for (const [other, peer] of members.entries()) {
            if (!peer.process.running) continue;
            const line = String(await call(peer.port, ['CLUSTER', 'NODES'])).split('\n').find((entry) => entry.startsWith(`${member.id} `));
            const [, , flags = '', , , , , link = ''] = line?.split(' ') ?? [];
            if (line === undefined || flags.includes('fail') || link !== 'connected') return `node ${other} sees it as ${line ?? 'unknown'}`;
          }
          return null;
        },
        logs,
      );
      if (members.every((peer) => peer.process.running)) await waitHealthy(`Redis Cluster to be whole again after node ${index} rejoined`);
      else await refreshRoles();
    },
    close,
  };
}

// ————————————————————————————————————————— Sentinel —————————————————————————————————————————

interface DataMember {
  port: number;
  /** The primary it is started as a replica of, or null: started as a primary. */
  replicaOf: number | null;
  process: RedisProcess;
}

interface SentinelMember {
  port: number;
  process: RedisProcess;
}

export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSet> {
  const name = options.name ?? 'k360';
  const count = options.sentinels ?? 3;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new RangeError(`a sentinel master name is letters, digits, '.', '_' or '-'; got ${JSON.stringify(name)}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`sentinels must be a whole number ≥ 1; got ${count}`);
  requireBinary(redisServerPath, 'redis-server', 'redis-server', 'REDIS_SERVER_PATH');
  const quorum = Math.min(2, count);

  const root = await mkdtemp(join(tmpdir(), 'k360-redis-sentinel-'));
  removeOnExit(root);
  const taken = new Set<number>();
  const data: DataMember[] = [];
  const sentinels: SentinelMember[] = [];
  const launchingData: RedisProcess[] = [];
  const launchingSentinels: RedisProcess[] = [];
  const logs = (): string => [...data, ...sentinels].map((member) => member.process.logTail(10)).join('\n');

  const launchData = async (index: number, replicaOf: number | null): Promise<DataMember> =>
    startOnFreePorts(1, taken, async ([port]) => {
      const dir = join(root, `data-${index}`);
      await mkdir(dir, { recursive: true });
      const member: DataMember = { port, replicaOf, process: undefined as unknown as RedisProcess };
      member.process = new RedisProcess(
        `data node ${index} (port ${port})`,
        () => [
          '--port', String(member.port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no', ...FAST_SYNC,
          ...(member.replicaOf === null ? [] : ['--replicaof', HOST, String(member.replicaOf)]),
        ],
        'Ready to accept connections',
      );
      launchingData.push(member.process);
      return member;
    });

  const launchSentinel = async (index: number, primaryPort: number): Promise<SentinelMember> =>
    startOnFreePorts(1, taken, async ([port]) => {
      const dir = join(root, `sentinel-${index}`);
      await mkdir(dir, { recursive: true });
      // Sentinel rewrites this file (its id, the replicas and sentinels it found, each failover): it has to be writable, one per sentinel.
      const conf = join(dir, 'sentinel.conf');
      await writeFile(
        conf,
        [
          `port ${port}`,
          `bind ${HOST}`,
          `dir ${dir}`,
          'sentinel resolve-hostnames no',
          'sentinel announce-hostnames no',
          `sentinel monitor ${name} ${HOST} ${primaryPort} ${quorum}`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      const node = new RedisProcess(`sentinel ${index} (port ${port})`, () => [conf, '--sentinel'], `+monitor master ${name} `);
      launchingSentinels.push(node);
      return { port, process: node };
    });

  const other = (member: DataMember): DataMember => data.find((candidate) => candidate !== member)!;
  const dataAt = (port: number): DataMember => {
    const member = data.find((candidate) => candidate.port === port);
    if (member === undefined) throw new RangeError(`no data node on port ${port}; they are on ${data.map((candidate) => candidate.port).join(', ')}`);
    return member;
  };

  /** null once every sentinel reports `primary` as the primary (its failover, if any, finished) and it says role:master. */
  const notPromoted = async (primary: DataMember): Promise<string | null> => {
    for (const [index, sentinel] of sentinels.entries()) {
      const master = pairs(await call(sentinel.port, ['SENTINEL', 'MASTER', name]));
      if (master.get('port') !== String(primary.port) || master.get('flags') !== 'master') return `sentinel ${index}: primary ${master.get('port')}, flags ${master.get('flags')}`;
      const address = await call(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
      if (!Array.isArray(address) || String(address[1]) !== String(primary.port)) return `sentinel ${index}: get-master-addr-by-name ${JSON.stringify(address)}`;
    }
    const role = (await fields(primary.port, ['INFO', 'replication'])).get('role');
    return role === 'master' ? null : `port ${primary.port} says role:${role}`;
  };

  /** null once `primary` is primary, the other node replicates from it (link up), and every sentinel knows both, as reachable, and the other sentinels. */
  const unsettled = async (primary: DataMember): Promise<string | null> => {
    const replica = other(primary);
    const promoted = await notPromoted(primary);
    if (promoted !== null) return promoted;
    const replication = await fields(replica.port, ['INFO', 'replication']);
    if (replication.get('role') !== 'slave' || replication.get('master_port') !== String(primary.port) || replication.get('master_link_status') !== 'up') {
      return `port ${replica.port}: role:${replication.get('role')} master_port:${replication.get('master_port')} master_link_status:${replication.get('master_link_status')}`;
    }
    for (const [index, sentinel] of sentinels.entries()) {
      const master = pairs(await call(sentinel.port, ['SENTINEL', 'MASTER', name]));
      if (master.get('num-slaves') !== '1' || master.get('num-other-sentinels') !== String(count - 1)) {
        return `sentinel ${index}: num-slaves ${master.get('num-slaves')}, num-other-sentinels ${master.get('num-other-sentinels')}`;
      }
      // Its flags only (reachable, not down): what it says of its link comes from INFO, which a sentinel asks a replica only every 10 s.
      const replicas = ((await call(sentinel.port, ['SENTINEL', 'REPLICAS', name])) as unknown[]).map(pairs);
      const seen = replicas.find((entry) => entry.get('port') === String(replica.port));
      if (seen?.get('flags') !== 'slave') return `sentinel ${index} sees replica ${replica.port} as ${seen ? `flags ${seen.get('flags')}` : 'unknown'}`;
    }
    return null;
  };

  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    // Sentinels first: they must not fail over while the data nodes go.
    await stopAll(launchingSentinels);
    await stopAll(launchingData);
    await removeRoot(root);
  };
  const open = (): void => {
    if (closed) throw new Error('the Sentinel set is closed');
  };

  try {
    data.push(await launchData(0, null));
    data.push(await launchData(1, data[0]!.port));
    const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => launchSentinel(index, data[0]!.port)));
    const failure = started.find((result) => result.status === 'rejected');
    for (const result of started) if (result.status === 'fulfilled') sentinels.push(result.value);
    if (failure) throw failure.reason;
    await waitFor(`${count} sentinel(s) to see primary ${data[0]!.port}, its replica and each other`, SENTINEL_READY_MS, () => unsettled(data[0]!), logs);
  } catch (error) {
    await close();
    throw error;
  }

  const primary = async (): Promise<{ host: string; port: number }> => {
    open();
    const problems: string[] = [];
    for (const sentinel of sentinels) {
      try {
        const address = await call(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
        if (Array.isArray(address) && address.length === 2) return { host: String(address[0]), port: Number(address[1]) };
        problems.push(`${sentinel.port}: ${JSON.stringify(address)}`);
      } catch (error) {
        problems.push(`${sentinel.port}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`no sentinel reported the primary of ${name}: ${problems.join('; ')}`);
  };

  return {
    name,
    sentinelUrls: sentinels.map((sentinel) => `redis://${HOST}:${sentinel.port}`).join(','),
    primary,
    dataNodes: data.map((member) => ({ port: member.port, url: `redis://${HOST}:${member.port}` })),
    async failover() {
      const before = dataAt((await primary()).port);
      const target = other(before);
      // Refused while a failover is still in progress (INPROG) or the replica is not yet usable to a sentinel (NOGOODSLAVE): ask again.
      await waitFor(`SENTINEL FAILOVER ${name} to be accepted`, FAILOVER_MS, async () => {
        await call(sentinels[0]!.port, ['SENTINEL', 'FAILOVER', name]);
        return null;
      }, logs);
      await waitFor(`sentinels to promote ${target.port} (SENTINEL FAILOVER)`, FAILOVER_MS, () => notPromoted(target), logs);
      // A sentinel turns a former primary that is still up into a replica only 8 s after it sees it claim role:master (+convert-to-slave); do it now.
      before.replicaOf = target.port;
      if ((await fields(before.port, ['INFO', 'replication'])).get('role') === 'master') await call(before.port, ['REPLICAOF', HOST, String(target.port)]);
      await waitFor(`${before.port} to replicate from ${target.port}, known to every sentinel`, FAILOVER_MS, () => unsettled(target), logs);
    },
    async killPrimary() {
      const before = dataAt((await primary()).port);
      const target = other(before);
      await before.process.stop('SIGKILL');
      await waitFor(`sentinels to promote ${target.port} after ${before.port} was killed`, FAILOVER_MS, () => notPromoted(target), logs);
    },
    async restartNode(port) {
      const member = dataAt(port);
      if (member.process.running) throw new Error(`data node ${port} is running; restartNode starts a killed one`);
      const current = await primary();
      member.replicaOf = current.port === port ? null : current.port;
      await member.process.start();
      const primaryNow = member.replicaOf === null ? member : dataAt(current.port);
      await waitFor(`${port} to rejoin ${primaryNow.port} as its replica, known to every sentinel`, FAILOVER_MS, () => unsettled(primaryNow), logs);
    },
    close,
  };
}
