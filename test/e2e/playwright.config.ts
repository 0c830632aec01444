import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium.js';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // The journeys share one demo server and one sandbox; one worker keeps them from racing on a 2-core machine.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalSetup: './global-setup.ts',
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off',
    screenshot: 'off',
  },
});
