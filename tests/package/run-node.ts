import { execFile } from 'node:child_process'

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs a command to its end and never rejects: a failure is a non-zero `code` with the output
 * kept, so an assertion can print what the child said. `timeoutMs` bounds a hung child.
 */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      resolve({ code, stdout, stderr: error && code === null ? `${stderr}\n${error.message}` : stderr })
    })
  })
}

/** Runs a script with this Node binary. */
export const runNode = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }) => run(process.execPath, args, options)

/** What a failed run said, for an assertion message. */
export const transcript = (result: Run) => `exit code ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`
