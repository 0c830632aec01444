// Test tools use programs from Debian's packages (Chromium, Redis) and never download their own.
// On a fresh Debian machine (as root, as CI is) a missing one is installed; otherwise the message says how.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * @param {{ path: string, debianPackage: string, variable: string, purpose: string }} program
 */
export function ensureDebianPackage({ path, debianPackage, variable, purpose }) {
  if (existsSync(path)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`${purpose} is missing at ${path}. Install it (Debian: sudo apt-get install -y ${debianPackage}) or set ${variable}.`);
    process.exit(1);
  }
  console.log(`${purpose} is missing at ${path}: installing Debian's ${debianPackage} package...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'inherit', env });
}
