import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const demo = fileURLToPath(new URL('../../demo/terminal.mjs', import.meta.url))
const builtLibrary = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the demo as `npm run demo` would after its build, without colors. */
function runDemo(): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1' }
    execFile(process.execPath, [demo], { cwd: root, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

const linesMatching = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line))

describe('terminal demo', () => {
  let run: Run
  let partOne: string
  let partTwo: string

  beforeAll(async () => {
    if (!existsSync(builtLibrary)) {
      throw new Error(`${builtLibrary} is missing: the demo imports the built library. Run \`npm run build\` (or \`npx rollup -c\`) first.`)
    }
    run = await runDemo()
    const parts = run.stdout.split(/^Part 2\b/m)
    partOne = parts[0] ?? ''
    partTwo = parts[1] ?? ''
  }, 40_000)

  it('exits 0 with every expectation met', () => {
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0)
    expect(run.stdout).toContain('every expectation held')
  })

  it('starts exactly one refresh for the whole burst', () => {
    expect(linesMatching(partOne, /refresh started/)).toHaveLength(1)
    expect(linesMatching(partOne, /refresh finished/)).toHaveLength(1)
    expect(partOne).toMatch(/refresh calls 1 · 401s 20 · successes 25 · spent refresh tokens presented 0/)
  })

  it('shows 25 successes: 20 replayed requests and 5 held ones', () => {
    expect(linesMatching(partOne, /\bsucceeded\b/)).toHaveLength(25)
    expect(linesMatching(partOne, /\breplayed\b/)).toHaveLength(20)
    expect(linesMatching(partOne, /\bheld\b/)).toHaveLength(5)
  })

  it('redirects to the login page exactly once when the session is revoked', () => {
    expect(linesMatching(run.stdout, /→ login redirect/)).toHaveLength(1)
    expect(linesMatching(partTwo, /→ login redirect \(refresh-rejected\)/)).toHaveLength(1)
    expect(linesMatching(partTwo, /rejected +LoginRequiredError, code login-required/)).toHaveLength(10)
    expect(partTwo).toMatch(/onLoginRequired calls 1/)
  })

  it('prints only the last characters of tokens, never a whole JWT', () => {
    expect(run.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+/)
  })

  it('prints no ANSI colors when NO_COLOR is set', () => {
    expect(run.stdout).not.toMatch(/\x1b\[/)
  })
})
