import type { LoginRequiredReason } from '../errors'
import type { Tokens } from '../types'

/** What the tabs of one client tell each other. */
export type TabMessage =
  /** New tokens are in place (a refresh or a login in that tab). */
  | { type: 'tokens'; tokens: Tokens }
  /** The session ended in that tab; every tab signs out. */
  | { type: 'signed-out'; reason: LoginRequiredReason }
  /** A new tab with memory storage asks for the current tokens. */
  | { type: 'ask' }
  /**
   * That tab's session would have ended, and it asks its user to sign in again (`reauthenticate`):
   * the others hold their requests for it, without a dialog of their own. Its `tokens` or
   * `signed-out` follows.
   */
  | { type: 'signing-in'; reason: LoginRequiredReason }

/** A message bus between the tabs of one origin. */
export interface TabChannel {
  /** Sends a message to every other tab; the sending tab does not receive it. */
  post(message: TabMessage): void
  /** Subscribes; returns the unsubscribe function. */
  listen(onMessage: (message: TabMessage) => void): () => void
}

const isMessage = (value: unknown): value is TabMessage =>
  typeof value === 'object' && value !== null && ['tokens', 'signed-out', 'ask', 'signing-in'].includes((value as TabMessage).type)

interface BroadcastChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
}

/** BroadcastChannel: delivered at once to every other tab of the origin, never to the sender. */
export function broadcastTabChannel(channel: BroadcastChannelLike): TabChannel {
  return {
    post: (message) => channel.postMessage(message),
    listen(onMessage) {
      const listener = (event: { data: unknown }) => isMessage(event.data) && onMessage(event.data)
      channel.addEventListener('message', listener)
      return () => channel.removeEventListener('message', listener)
    },
  }
}

interface StorageEventTarget {
  addEventListener(type: 'storage', listener: (event: { key: string | null; newValue: string | null }) => void): void
  removeEventListener(type: 'storage', listener: (event: { key: string | null; newValue: string | null }) => void): void
}

/**
 * `storage` events, for browsers without BroadcastChannel: a message is written to one key and
 * removed at once (the other tabs read it from the event, which carries the value), so nothing
 * stays in web storage; the counter makes the same message twice still a change. Only for
 * clients whose tokens are in localStorage anyway: a memory-storage client never gets one.
 */
export function storageTabChannel(storage: Pick<Storage, 'setItem' | 'removeItem'>, target: StorageEventTarget, key: string): TabChannel {
  let sequence = 0
  return {
    post(message) {
      try {
        storage.setItem(key, JSON.stringify({ message, sequence: ++sequence, at: Date.now() }))
        storage.removeItem(key)
      } catch {
        // Storage full or disabled: the other tabs learn of it on their next 401 instead.
      }
    },
    listen(onMessage) {
      const listener = (event: { key: string | null; newValue: string | null }) => {
        if (event.key !== key || !event.newValue) return
        try {
          const { message } = JSON.parse(event.newValue) as { message: unknown }
          if (isMessage(message)) onMessage(message)
        } catch {
          // Not ours, or corrupted: ignore.
        }
      }
      target.addEventListener('storage', listener)
      return () => target.removeEventListener('storage', listener)
    },
  }
}
