/**
 * What the backends suite runs, all on 127.0.0.1 and free ports: the Kount sandbox and the
 * standalone relay from the package's CLI, the PHP, Python and Java example shops, and one nginx
 * whose three sites (one per shop, from examples/nginx/shop.conf.template) put each shop, the
 * relay's browser API and the CDN build on one origin, as a deployment would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../demo/cluster/redis-server.js';
import { javaPath, nginxPath, phpPath, pythonPath } from './programs.js';
import { startProgram, waitForHttp, type Program } from '../processes.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(root, 'examples');
const cdnRoot = join(root, 'dist', 'cdn');

export const SHOPS = ['php', 'python', 'java'] as const;
export type ShopName = (typeof SHOPS)[number];

export interface ShopSite {
  readonly name: ShopName;
  /** The shop behind nginx, as the browser reaches it: `http://localhost:<port>` (a secure context, so `__Host-` cookies work over http). */
  readonly origin: string;
  /** The shop's own port, for requests that skip nginx. */
  readonly directUrl: string;
  /** This shop's key for the relay's admin API (each shop has its own). */
  readonly adminKey: string;
}

export interface Stack {
  readonly sandboxUrl: string;
  readonly adminUrl: string;
  readonly shops: Readonly<Record<ShopName, ShopSite>>;
  stop(): Promise<void>;
}

/** Only what the programs need from this environment: never a KOUNT_* or RELAY_* of the machine's. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const kept = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'PYENV_ROOT', 'PYENV_VERSION', 'JAVA_HOME'];
  return Object.fromEntries(kept.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
}

/** The CLI as `npx k360-verify` runs it, from the sources. */
function cli(name: string, args: string[], env: NodeJS.ProcessEnv): Program {
  return startProgram(name, process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...baseEnvironment(), TSX_TSCONFIG_PATH: 'tsconfig.node.json', ...env },
  });
}

/** The template with its placeholders filled in; a placeholder left over is a mistake in the template or here. */
export async function renderSite(values: Record<'SHOP_LISTEN' | 'SHOP_SERVER_NAME' | 'SHOP_UPSTREAM' | 'RELAY_UPSTREAM' | 'CDN_ROOT', string>): Promise<string> {
  const template = await readFile(join(examples, 'nginx', 'shop.conf.template'), 'utf8');
  const rendered = template.replace(/\$\{([A-Z_]+)\}/g, (placeholder, name: string) => (name in values ? values[name as keyof typeof values] : placeholder));
  const body = rendered.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
  const left = /\$\{[A-Z_]+\}/.exec(body);
  if (left) throw new Error(`examples/nginx/shop.conf.template: ${left[0]} is not filled in`);
  return rendered;
}

/**
 * nginx's main file for the test: pid, logs and temporary files in `dir`, nothing under /var; the
 * sites are included as a deployment includes them from sites-enabled.
 */
function mainConfig(dir: string, sites: readonly string[]): string {
  // As root (CI), the workers drop to an unprivileged user; Debian names its group nogroup.
  const user = process.getuid?.() === 0 ? 'user nobody nogroup;\n' : '';
  return `${user}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  types {
    text/html html;
    text/css css;
    text/javascript js mjs;
    application/json json map;
    text/plain sri;
  }
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${join(dir, 'client-body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${sites.map((site) => `  include ${join(dir, site)};`).join('\n')}
}
`;
}

function shopProgram(name: ShopName, port: number, env: NodeJS.ProcessEnv): Program {
  const options = { env: { ...baseEnvironment(), ...env, PORT: String(port), HOST: '127.0.0.1' } };
  switch (name) {
    case 'php':
      return startProgram('php shop', phpPath, ['-S', `127.0.0.1:${port}`, 'shop.php'], { ...options, cwd: join(examples, 'php') });
    case 'python':
      return startProgram('python shop', pythonPath, ['shop.py'], { ...options, cwd: join(examples, 'python') });
    case 'java':
      // Java 17's single-file source launcher; the flags only shorten start-up (no JIT tiers beyond C1 needed here).
      return startProgram('java shop', javaPath, ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', 'Shop.java'], { ...options, cwd: join(examples, 'java') });
  }
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(join(cdnRoot, 'k360-verify.js'))) {
    throw new Error('dist/cdn is missing: run `npm run build` (or `npx vite build`) first.');
  }
  const programs: Program[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'k360-backends-'));
  const stop = async (): Promise<void> => {
    await Promise.all(programs.map((program) => program.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports = {
      relay: await freePort(),
      admin: await freePort(),
      nginx: { php: await freePort(), python: await freePort(), java: await freePort() },
      shop: { php: await freePort(), python: await freePort(), java: await freePort() },
    };
    const origin = (name: ShopName): string => `http://localhost:${ports.nginx[name]}`;

    // The sandbox posts its signed webhooks through nginx, as Kount would to the shop's public address.
    const sandbox = cli('sandbox', ['sandbox', '--port', '0', '--webhook-url', `http://127.0.0.1:${ports.nginx.php}/verify/webhooks/kount`, '--print-env'], {});
    programs.push(sandbox);
    const kount: Record<string, string> = {};
    await sandbox.line((line) => {
      const variable = /^(KOUNT_[A-Z_]+)=(.+)$/.exec(line);
      if (variable) kount[variable[1] as string] = variable[2] as string;
      return line.startsWith('{') && line.includes('"sandbox.listening"');
    });
    for (const name of ['KOUNT_API_URL', 'KOUNT_TOKEN_URL', 'KOUNT_API_KEY', 'KOUNT_CLIENT_ID', 'KOUNT_WEBHOOK_PUBLIC_KEY']) {
      if (!kount[name]) throw new Error(`the sandbox's --print-env did not print ${name}:\n${sandbox.output()}`);
    }

    const adminKeys = { php: randomBytes(24).toString('base64url'), python: randomBytes(24).toString('base64url'), java: randomBytes(24).toString('base64url') };
    const relay = cli('relay', ['relay'], {
      ...kount,
      RELAY_SESSION_SECRET: randomBytes(32).toString('base64url'),
      RELAY_HOST: '127.0.0.1',
      RELAY_PORT: String(ports.relay),
      RELAY_ADMIN_HOST: '127.0.0.1',
      RELAY_ADMIN_PORT: String(ports.admin),
      // Several keys at once, as while rotating: each shop gets its own.
      RELAY_ADMIN_API_KEYS: Object.values(adminKeys).join(','),
      // As examples/nginx says. One relay serves the three sites here, all plain http with the Host
      // passed on, so each page's origin is also the relay's own; backends.test.ts checks that a
      // client's forged X-Forwarded-Host does not get through nginx.
      RELAY_PUBLIC_ORIGIN: origin('php'),
      RELAY_TRUST_FORWARDED_HEADERS: 'true',
    });
    programs.push(relay);
    const listening = JSON.parse(await relay.line((line) => line.includes('"relay.listening"'))) as { admin?: string };
    const adminUrl = listening.admin ?? `http://127.0.0.1:${ports.admin}`;

    // Temporary files of the workers (an unprivileged user when the master runs as root) live here.
    await chmod(dir, 0o755);
    // nginx's workers serve the CDN files as that user too: a copy beside the configuration, since the
    // checkout itself may sit in a folder only its owner can enter (a CI clone in a private temp dir).
    const servedCdn = join(dir, 'cdn');
    await cp(cdnRoot, servedCdn, { recursive: true });
    const sites: string[] = [];
    for (const name of SHOPS) {
      const site = await renderSite({
        SHOP_LISTEN: `127.0.0.1:${ports.nginx[name]}`,
        SHOP_SERVER_NAME: 'localhost',
        SHOP_UPSTREAM: `127.0.0.1:${ports.shop[name]}`,
        RELAY_UPSTREAM: `127.0.0.1:${ports.relay}`,
        CDN_ROOT: `${servedCdn}/`,
      });
      await writeFile(join(dir, `${name}.conf`), site);
      sites.push(`${name}.conf`);
    }
    await writeFile(join(dir, 'nginx.conf'), mainConfig(dir, sites));
    const nginx = startProgram('nginx', nginxPath, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { cwd: dir, env: baseEnvironment() });
    programs.push(nginx);

    const shopPrograms = SHOPS.map((name) => {
      const program = shopProgram(name, ports.shop[name], {
        RELAY_ADMIN_URL: adminUrl,
        RELAY_ADMIN_API_KEY: adminKeys[name],
        SHOP_PUBLIC_ORIGIN: origin(name),
      });
      programs.push(program);
      return program;
    });
    await Promise.all([
      ...SHOPS.map((name, index) => waitForHttp(`http://127.0.0.1:${ports.shop[name]}/api/health`, shopPrograms[index] as Program)),
      waitForHttp(`http://127.0.0.1:${ports.nginx.php}/cdn/k360-verify.js`, nginx),
    ]);
    // Through nginx too: each site reaches its own shop.
    await Promise.all(SHOPS.map((name) => waitForHttp(`http://127.0.0.1:${ports.nginx[name]}/api/health`, nginx)));

    const shops = Object.fromEntries(
      SHOPS.map((name) => [name, { name, origin: origin(name), directUrl: `http://127.0.0.1:${ports.shop[name]}`, adminKey: adminKeys[name] }]),
    ) as Record<ShopName, ShopSite>;
    return { sandboxUrl: kount.KOUNT_API_URL as string, adminUrl, shops, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
