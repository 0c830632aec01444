#!/usr/bin/env node
/**
 * `k360-verify`: the relay as a standalone service for a backend in any language, the bundled
 * Kount 360 sandbox on its own, and the CDN snippet for a shop's own copy of the CDN files.
 * `k360-verify --help` lists the commands.
 */

export {};

const USAGE = `Usage: k360-verify <command> [options]

Commands:
  relay     run the relay: the browser API and Kount's webhooks on RELAY_PORT (8080),
            the server-to-server API and health on RELAY_ADMIN_PORT (8081, 127.0.0.1)
  sandbox   run the local Kount 360 sandbox (no account, no network)
  snippet   print the CDN snippet for your own copy of the CDN files, pinned with their hashes

Run "k360-verify <command> --help" for a command's options and variables.
`;

/** relay and sandbox serve HTTP with Hono, an optional peer dependency (a browser-only install leaves it out). */
const SERVER_PACKAGES = ['hono', '@hono/node-server'];

/** Each import is written out (not a path in a variable) so tools that trace the package, and its own test, can follow it. */
async function load<Module>(importing: () => Promise<Module>): Promise<Module> {
  try {
    return await importing();
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
    await (await load(() => import('./relay-command.js'))).runRelay(rest);
    break;
  case 'sandbox':
    await (await load(() => import('./sandbox-command.js'))).runSandbox(rest);
    break;
  case 'snippet':
    await (await import('./snippet-command.js')).runSnippet(rest);
    break;
  case undefined:
  case '-h':
  case '--help':
  case 'help':
    if (rest[0] === 'relay') process.stdout.write((await load(() => import('./relay-command.js'))).RELAY_HELP);
    else if (rest[0] === 'sandbox') process.stdout.write((await load(() => import('./sandbox-command.js'))).SANDBOX_HELP);
    else if (rest[0] === 'snippet') process.stdout.write((await import('./snippet-command.js')).SNIPPET_HELP);
    else process.stdout.write(USAGE);
    if (command === undefined) process.exitCode = 2;
    break;
  default:
    process.stderr.write(`k360-verify: unknown command "${command}".\n\n${USAGE}`);
    process.exitCode = 2;
}
