#!/usr/bin/env node
/**
 * `k360-verify`: the relay as a standalone service for a backend in any language, and the bundled
 * Kount 360 sandbox on its own. `k360-verify --help` lists the commands.
 */

export {};

const USAGE = `Usage: k360-verify <command> [options]

Commands:
  relay     run the relay: the browser API and Kount's webhooks on RELAY_PORT (8080),
            the server-to-server API and health on RELAY_ADMIN_PORT (8081, 127.0.0.1)
  sandbox   run the local Kount 360 sandbox (no account, no network)

Run "k360-verify <command> --help" for a command's options and variables.
`;

/** Both commands serve HTTP with Hono, an optional peer dependency (a browser-only install leaves it out). */
const SERVER_PACKAGES = ['hono', '@hono/node-server'];

async function load<Module>(path: string): Promise<Module> {
  try {
    return (await import(path)) as Module;
  } catch (error) {
    const missing = SERVER_PACKAGES.find((name) => (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`));
    if (missing === undefined) throw error;
    process.stderr.write(`k360-verify: the relay and the sandbox need ${SERVER_PACKAGES.join(' and ')}, which are not installed.\nInstall them beside k360-verify: npm install ${SERVER_PACKAGES.join(' ')}\n`);
    process.exit(1);
  }
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'relay':
    await (await load<typeof import('./relay-command.js')>('./relay-command.js')).runRelay(rest);
    break;
  case 'sandbox':
    await (await load<typeof import('./sandbox-command.js')>('./sandbox-command.js')).runSandbox(rest);
    break;
  case undefined:
  case '-h':
  case '--help':
  case 'help':
    if (rest[0] === 'relay') process.stdout.write((await load<typeof import('./relay-command.js')>('./relay-command.js')).RELAY_HELP);
    else if (rest[0] === 'sandbox') process.stdout.write((await load<typeof import('./sandbox-command.js')>('./sandbox-command.js')).SANDBOX_HELP);
    else process.stdout.write(USAGE);
    if (command === undefined) process.exitCode = 2;
    break;
  default:
    process.stderr.write(`k360-verify: unknown command "${command}".\n\n${USAGE}`);
    process.exitCode = 2;
}
