// Element unit tests, in Debian's Chromium (never a downloaded browser): `npx wtr --config test/web-test-runner.config.js`.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, chromiumPath } from './chromium.js';

// Absolute, so decorators compile whatever directory wtr is started from (TOOLCHAIN.md).
const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

/**
 * Prints one plain closing line, `unit: N passed, N failed[, N skipped]`, counting individual
 * tests. A test file that failed before running any test (syntax error, failed import) counts as
 * one failure, so the line never says "0 failed" for a red run.
 */
function countingReporter() {
  return {
    stop({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const count = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) skipped++;
          else if (test.passed) passed++;
          else failed++;
        }
        for (const child of suite.suites) count(child);
      };
      for (const session of sessions) {
        const before = failed;
        if (session.testResults) count(session.testResults);
        if (failed === before && (session.passed === false || session.errors.length > 0)) failed++;
      }
      const line = `${runName}: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
      // The runner flushes its buffered report after the reporters stop; print last, at exit
      // (stdout to a pipe, a file or a terminal is written synchronously on Linux).
      process.once('exit', () => process.stdout.write(`\n${line}\n`));
    },
  };
}

/**
 * Lit's development build (extra checks and warnings) or its production build, as Lit's own
 * packages test both: `UNIT_BUILD=development` picks the former; `npm run test:unit` runs both.
 */
const development = process.env.UNIT_BUILD === 'development';
const runName = development ? 'unit-dev' : 'unit';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: fileURLToPath(new URL('..', import.meta.url)),
  files: ['test/elements/**/*.test.ts', 'test/client/**/*.test.ts'],
  nodeResolve: { exportConditions: [development ? 'development' : 'production'] },
  // The production run checks the relay's answers as the CDN build does (src/client/view-check.ts).
  plugins: [esbuildPlugin({ ts: true, tsconfig, ...(development ? {} : { define: { 'globalThis.__K360_VERIFY_DEV__': 'false' } }) })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    }),
  ],
  // One page at a time: keyboard tests need the focused window, and the machines have 2 cores.
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
  reporters: [defaultReporter(), countingReporter()],
};
