import type { Reporter, SerializedError, TestModule } from 'vitest/node'

/** A failure report of the chaos suite names each failing seed with the command that replays it. */
const REPLAY = /^replay with: (CHAOS_SEED=(\d+) .+)$/gm

/**
 * Ends a run with a plain summary: each failed test by name, each failing chaos seed with the
 * command that replays it, then one line, `N passed, N failed[, N skipped]`, that any CI log
 * reader understands. A test file that could not run, and an error outside any test, count as
 * failed: a run must never read `0 failed` while something broke.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []) {
    const count = { passed: 0, failed: 0, skipped: 0 }
    const failures: string[] = []
    const replays = new Map<number, string>()
    for (const module of testModules) {
      if (module.errors().length > 0) {
        count.failed += 1
        failures.push(`${module.relativeModuleId} (the file did not run: ${firstLine(module.errors()[0]!)})`)
      }
      for (const test of module.children.allTests()) {
        const result = test.result()
        if (result.state === 'passed') count.passed += 1
        else if (result.state === 'failed') {
          count.failed += 1
          failures.push(`${module.relativeModuleId} > ${test.fullName}`)
          for (const error of result.errors ?? []) {
            for (const [, command, seed] of (error.message ?? '').matchAll(REPLAY)) replays.set(Number(seed), command!)
          }
        } else count.skipped += 1
      }
    }
    for (const error of unhandledErrors) {
      count.failed += 1
      failures.push(`an error outside any test: ${firstLine(error)}`)
    }
    const lines: string[] = []
    if (failures.length > 0) lines.push('failed:', ...failures.map((name) => `  ${name}`))
    for (const [seed, command] of [...replays].sort(([a], [b]) => a - b)) lines.push(`chaos seed ${seed} failed; replay it with: ${command}`)
    const skipped = count.skipped > 0 ? `, ${count.skipped} skipped` : ''
    lines.push(`${count.passed} passed, ${count.failed} failed${skipped}`)
    console.log(`\n${lines.join('\n')}`)
  }
}

function firstLine(error: SerializedError): string {
  return `${error.name ?? 'Error'}: ${(error.message ?? '').split('\n')[0]}`
}
