// Runs before the browser tests: they use Debian's Chromium and must never download one.
import { chromiumPath } from './chromium.js';
import { ensureDebianPackage } from './debian-package.js';

ensureDebianPackage({ path: chromiumPath, debianPackage: 'chromium', variable: 'CHROMIUM_PATH', purpose: 'Chromium' });
