// Runs before the tests that need Redis (the shared store, several relay instances): Debian's
// redis-server, started by the tests themselves on a free loopback port and stopped at the end.
import { ensureDebianPackage } from './debian-package.js';
import { redisServerPath } from './redis-path.js';

ensureDebianPackage({ path: redisServerPath, debianPackage: 'redis-server', variable: 'REDIS_SERVER_PATH', purpose: 'redis-server' });
