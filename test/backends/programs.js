// Where the backends suite finds the programs it runs: Debian's packages, or what these variables name.
export const phpPath = process.env.PHP_PATH ?? '/usr/bin/php';
export const nginxPath = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
/** The single-file source launcher (`java Shop.java`) needs a JDK, not only a runtime. */
export const javaPath = process.env.JAVA_PATH ?? '/usr/bin/java';
export const javacPath = process.env.JAVAC_PATH ?? '/usr/bin/javac';
/** Any Python 3 with its standard library; the shop uses nothing else. */
export const pythonPath = process.env.PYTHON_PATH ?? 'python3';
