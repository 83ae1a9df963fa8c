// Names every test that passed only when retried, so a retry never hides a flaky test from the log.
import type { Reporter, TestCase } from "vitest/node";

export default class RetriedTestsReporter implements Reporter {
  readonly #retried: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const { flaky, retryCount } = testCase.diagnostic() ?? { flaky: false, retryCount: 0 };
    if (flaky) this.#retried.push(`${testCase.module.relativeModuleId} > ${testCase.fullName} (passed on retry ${retryCount})`);
  }

  onTestRunEnd(): void {
    if (this.#retried.length === 0) return;
    const lines = this.#retried.map((name) => `  ${name}`).join("\n");
    process.stdout.write(`\n${this.#retried.length} test(s) failed first and passed only when retried:\n${lines}\n`);
  }
}
