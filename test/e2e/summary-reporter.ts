import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints the plain `e2e: N passed, N failed` line CI reads (`e2e-cluster:` through the cluster; the list reporter's own summary is not parsed). */
export default class SummaryReporter implements Reporter {
  #outcomes = new Map<string, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.#outcomes.set(test.id, result.status);
  }

  onEnd(): void {
    const statuses = [...this.#outcomes.values()];
    const passed = statuses.filter((status) => status === 'passed').length;
    const skipped = statuses.filter((status) => status === 'skipped').length;
    const failed = statuses.length - passed - skipped;
    const name = process.env.E2E_CLUSTER === '1' ? 'e2e-cluster' : 'e2e';
    console.log(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
