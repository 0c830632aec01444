// Runs before the browser tests: they use Debian's Chromium and must never download one.
import { execFileSync } from 'node:child_process';
import { chromiumPath } from './chromium.js';
import { ensureDebianPackage } from './debian-package.js';

ensureDebianPackage({ path: chromiumPath, debianPackage: 'chromium', variable: 'CHROMIUM_PATH', purpose: 'Chromium' });

/**
 * Japanese and Chinese text needs a CJK font, or Chromium draws boxes of another width than a
 * shopper's browser does and the layout tests (test/elements/otp-entry/otp-entry-geometry.test.ts)
 * measure the wrong lines. Installed as root (CI); anyone else is told how, and the tests still run.
 */
function ensureCjkFonts() {
  let found = '';
  try {
    found = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim();
  } catch {
    // No fontconfig: Chromium's own package brings it, so this is a machine without Chromium's tools.
  }
  if (found !== '') return;
  if (process.getuid?.() !== 0) {
    console.warn('No CJK font found (fc-list :lang=zh): Japanese and Chinese text will not be measured as shoppers see it. Install one: sudo apt-get install -y fonts-noto-cjk');
    return;
  }
  console.log("No CJK font found: installing Debian's fonts-noto-cjk package...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'fonts-noto-cjk'], { stdio: 'inherit', env });
}

ensureCjkFonts();
