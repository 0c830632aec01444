// Runs before the backends suite (test/backends): shops in PHP, Python and Java behind nginx. PHP's
// built-in server and nginx come from Debian's packages, and Java 17's source launcher from its JDK;
// a missing one is installed on a Debian machine as root (CI), otherwise the message says how.
import { ensureDebianPackage } from './debian-package.js';
import { javacPath, nginxPath, phpPath } from './backends/programs.js';

ensureDebianPackage({ path: phpPath, debianPackage: 'php-cli', variable: 'PHP_PATH', purpose: 'PHP (the PHP shop)' });
ensureDebianPackage({ path: nginxPath, debianPackage: 'nginx', variable: 'NGINX_PATH', purpose: 'nginx (the reverse proxy)' });
ensureDebianPackage({ path: javacPath, debianPackage: 'openjdk-17-jdk-headless', variable: 'JAVAC_PATH', purpose: 'A Java 17 JDK (the Java shop)' });
