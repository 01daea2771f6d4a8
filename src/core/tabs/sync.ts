import type { Clock } from '../time/clock'
import type { TabCoordinator } from './coordinator'
import type { TabMessage } from './channel'
import { normalizeTokens } from '../tokens/tokens'
import type { Tokens } from '../types'

/** How long a new tab with memory storage waits for another tab's tokens, unless told otherwise. */
export const DEFAULT_ASK_TIMEOUT_MS = 300

/** What the session lets the tab sync do. */
export interface TabSyncHooks {
  /** The tokens this tab holds now. */
  current(): Tokens | undefined
  /** Takes tokens another tab obtained, releasing this tab's waiting requests with them. */
  adopt(tokens: Tokens): void
  /** Ends this tab's session because another tab's ended. */
  signOut(reason: Extract<TabMessage, { type: 'signed-out' }>['reason']): void
  /** Holds requests while another tab's user signs in again. */
  signingIn(reason: Extract<TabMessage, { type: 'signing-in' }>['reason']): void
  /** Holds requests until `until` settles, as during a refresh. */
  holdUntil(until: Promise<unknown>): void
}

/**
 * Connects a session to its sibling tabs: applies their tokens and sign-outs, answers their
 * questions, and (for a new tab without tokens) asks them for theirs, holding requests for at
 * most `askTimeoutMs` meanwhile.
 * @returns A function that stops listening and stops waiting for an answer.
 */
export function connectTabs(tabs: TabCoordinator, hooks: TabSyncHooks, options: { ask: boolean; askTimeoutMs: number; clock: Clock }): () => void {
  let answered: (() => void) | undefined

  const unlisten = tabs.channel.listen((message) => {
    if (message.type === 'tokens') {
      answered?.()
      try {
        hooks.adopt(normalizeTokens(message.tokens, options.clock.now(), 'setTokens'))
      } catch {
        // A malformed message from an older or foreign client: ignore it.
      }
    } else if (message.type === 'signed-out') {
      hooks.signOut(message.reason)
    } else if (message.type === 'signing-in') {
      hooks.signingIn(message.reason)
    } else {
      const tokens = hooks.current()
      if (tokens) tabs.channel.post({ type: 'tokens', tokens })
    }
  })

  const disconnect = () => {
    unlisten()
    answered?.()
  }
  if (!options.ask) return disconnect
  hooks.holdUntil(
    new Promise<void>((resolve) => {
      const timer = options.clock.setTimeout(() => answered?.(), options.askTimeoutMs)
      answered = () => {
        answered = undefined
        options.clock.clearTimeout(timer)
        resolve()
      }
    }),
  )
  tabs.channel.post({ type: 'ask' })
  return disconnect
}
