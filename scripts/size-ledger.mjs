// The size ledger: every source file that `createAuthClient` + `attach` bundles, under the guarantee
// it carries and the tests that hold the library to that guarantee. `npm run size:profile` prints
// it as bytes per guarantee, with the part of them that is string literals; tests/size/size.test.ts
// fails when a bundled file has no line here (or two), or a named test file is gone, so the ledger
// stays the true account of what the core entry pays for.
import { readFileSync } from 'node:fs'
import { transform } from 'esbuild'
import ts from 'typescript'

/**
 * Why a guarantee is in the core entry:
 * - `mission`: the issue's own list of what the core entry carries (one refresh, hold, replay,
 *   login redirect, origin allow-list, abort, timeout, the challenge verdict, typed errors);
 * - `quality bar`: what every entry owes its users (bad input gets an error that names the fix);
 * - `beyond`: a guarantee of its own, which an opt-in import could carry instead.
 */
export const SIZE_LEDGER = [
  {
    guarantee: 'the session state machine, one login redirect, events',
    why: 'mission',
    files: [
      'src/core/session/reduce.ts',
      'src/core/session/state.ts',
      'src/core/session/create-session.ts',
      'src/core/session/perform-effects.ts',
      'src/core/session/open-session.ts',
      'src/core/session/credential.ts',
      'src/core/tokens/tokens.ts',
      'src/core/support/listeners.ts',
      'src/core/support/deferred.ts',
      'src/core/tabs/sync.ts',
    ],
    tests: ['tests/core/session/reduce.test.ts', 'tests/core/session/races.test.ts', 'tests/axios/events.test.ts', 'tests/axios/session-end.test.ts', 'tests/axios/invariants.property.test.ts'],
  },
  {
    guarantee: 'one shared refresh, timed out, its failure classified',
    why: 'mission',
    files: ['src/core/session/refresh-flight.ts', 'src/core/refresh/timebox.ts', 'src/core/refresh/classify-failure.ts', 'src/core/refresh/self-wait-error.ts', 'src/axios/refresh-call.ts'],
    tests: ['tests/axios/refresh.test.ts', 'tests/axios/refresh-call.test.ts', 'tests/chaos/chaos.test.ts'],
  },
  {
    guarantee: 'hold at send time, bounded by signal and timeout',
    why: 'mission',
    files: ['src/axios/on-request.ts', 'src/core/hold/hold-queue.ts', 'src/core/hold/abortable.ts', 'src/axios/hold-bounds.ts', 'src/core/session/access-token.ts'],
    tests: ['tests/core/hold/hold-queue.test.ts', 'tests/axios/abort.test.ts', 'tests/axios/access-token.test.ts'],
  },
  {
    guarantee: 'replay exactly once, capped by replayConcurrency',
    why: 'mission',
    files: ['src/axios/on-response-error.ts', 'src/axios/replay-policy.ts', 'src/axios/request-stamp.ts', 'src/core/hold/replay-limit.ts'],
    tests: ['tests/axios/resend.test.ts', 'tests/axios/replay-body.test.ts', 'tests/axios/request-stamp.test.ts', 'tests/axios/replay-concurrency.test.ts'],
  },
  {
    guarantee: 'no token to an origin that is not allowed',
    why: 'mission',
    files: ['src/core/origin/allow-list.ts', 'src/axios/origin-policy.ts', 'src/axios/redirect-guard.ts', 'src/axios/auth-header.ts'],
    tests: ['tests/axios/origins.test.ts', 'tests/axios/origin-policy.property.test.ts', 'tests/axios/redirects.test.ts', 'tests/axios/custom-header.test.ts'],
  },
  {
    guarantee: 'the challenge verdict (RFC 9110, RFC 6750)',
    why: 'mission',
    files: ['src/core/challenge/www-authenticate.ts', 'src/core/challenge/verdict.ts'],
    tests: ['tests/core/challenge/www-authenticate.test.ts', 'tests/axios/challenge-decisions.test.ts'],
  },
  {
    guarantee: 'typed errors with cause, no token in a message',
    why: 'mission',
    files: ['src/core/errors.ts', 'src/core/support/to-error.ts', 'src/axios/request-error.ts'],
    tests: ['tests/axios/session-end.test.ts', 'tests/axios/bad-input.test.ts'],
  },
  {
    guarantee: 'attach to any instance, detach, dispose',
    why: 'mission',
    files: ['src/axios/auth-client.ts', 'src/axios/attach.ts'],
    tests: ['tests/axios/pass-through.test.ts', 'tests/axios/dispose.test.ts', 'tests/axios/two-clients.test.ts'],
  },
  {
    guarantee: 'bad options refused, naming the fix',
    why: 'quality bar',
    files: ['src/core/session/option-rules.ts', 'src/core/session/options.ts', 'src/core/session/closest-key.ts', 'src/core/support/logger.ts'],
    tests: ['tests/core/session/options.test.ts', 'tests/axios/bad-input.test.ts'],
  },
  {
    guarantee: 're-login (reauthenticate), step-up (RFC 9470)',
    why: 'beyond',
    files: ['src/core/session/reauthentication.ts', 'src/core/session/step-up.ts', 'src/axios/step-up.ts'],
    tests: ['tests/axios/relogin.test.ts', 'tests/axios/relogin-step-up.test.ts'],
  },
  {
    guarantee: 'tokens stored and restored, storage faults contained',
    why: 'beyond',
    files: ['src/core/tokens/persistence.ts', 'src/core/session/restore.ts', 'src/core/tokens/storage.ts'],
    tests: ['tests/core/tokens/storage.test.ts'],
  },
  {
    guarantee: 'refresh ahead of exp, on the server’s clock',
    why: 'beyond',
    files: ['src/core/tokens/jwt.ts', 'src/core/time/server-clock.ts', 'src/core/time/clock.ts'],
    tests: ['tests/axios/proactive.test.ts', 'tests/core/store/is-expiring.test.ts'],
  },
  {
    guarantee: 'a DPoP proof on every send, with dpop()',
    why: 'beyond',
    files: ['src/axios/dpop-signer.ts'],
    tests: ['tests/dpop/glue.test.ts'],
  },
]

/** Where the string and template literal text of `code` (JavaScript) is, as [start, end) ranges. */
export function literalRanges(code) {
  const source = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
  const literal = new Set([ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail])
  const ranges = []
  const visit = (node) => {
    if (literal.has(node.kind)) ranges.push([node.getStart(source), node.end])
    else ts.forEachChild(node, visit)
  }
  visit(source)
  return ranges
}

/** Bytes of literal text in `code`. */
export const literalBytes = (code) => literalRanges(code).reduce((sum, [start, end]) => sum + Buffer.byteLength(code.slice(start, end)), 0)

/** `code` split in two: its literal text alone, and the code with every literal emptied. */
export function splitLiterals(code) {
  let rest = ''
  let text = ''
  let from = 0
  for (const [start, end] of literalRanges(code)) {
    rest += code.slice(from, start) + '""'
    text += code.slice(start, end) + '\n'
    from = end
  }
  return { code: rest + code.slice(from), text }
}

/**
 * The literals of `code` that are words for people: every literal with a space in it (what errors
 * and warnings say, and the examples they give), one per line. The others are names for code:
 * states, events, effects, header names.
 */
export function messagesOf(code) {
  return literalRanges(code)
    .map(([start, end]) => code.slice(start, end))
    .filter((literal) => literal.includes(' '))
    .join('\n')
}

/** Each bundled file's minified bytes that are string literals, the file minified alone as the bundle minifies it. */
export async function stringBytesOf(paths) {
  const result = new Map()
  for (const path of paths) {
    const { code } = await transform(readFileSync(path, 'utf8'), { loader: 'ts', minify: true, format: 'esm', target: 'es2022', legalComments: 'none' })
    result.set(path, literalBytes(code))
  }
  return result
}

/** The ledger line of each bundled file, and what does not fit: files with no line, or with more than one. */
export function ledgerOf(bundledPaths) {
  const lineOf = new Map()
  const twice = []
  for (const line of SIZE_LEDGER) {
    for (const file of line.files) {
      if (lineOf.has(file)) twice.push(file)
      lineOf.set(file, line)
    }
  }
  return { lineOf, unlisted: bundledPaths.filter((path) => !lineOf.has(path)), twice }
}
