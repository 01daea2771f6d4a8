import { ConfigurationError } from '../errors'
import type { JwtClaims } from '../tokens/jwt'
import type { Session } from '../session/types'
import type { Diagnosis, SessionStatus, Tokens } from '../types'

/** What {@link createAuthStore} reads: an auth client's session and the actions adapters expose. */
export interface AuthStoreClient<Claims extends JwtClaims = JwtClaims> {
  readonly session: Session<Claims>
  /** Signs out; what `logout` calls. */
  clearTokens(): void
  /** Joins the refresh in flight or starts one. */
  refresh(): Promise<Tokens>
}

/** Options of {@link createAuthStore}. */
export interface AuthStoreOptions {
  /**
   * `isExpiring` turns true this long before the access token expires, or at the last quarter of
   * the token's lifetime when that is shorter: a 20 s token is expiring for its last 5 s, not
   * from the moment it arrives. @default 60000
   */
  expiringWithinMs?: number
  /**
   * Fill `lastDiagnosis`. The store then listens to `diagnosis`, so the client explains every
   * 401 (decoding the token it carried) for it; without this option nothing is diagnosed for
   * the store and `lastDiagnosis` stays `undefined`. A diagnosis with the same `code` as the
   * current one notifies nobody on its own: it shows with the next change of the session, so a
   * burst of 401s with one cause notifies once, not once per 401.
   * @default false
   */
  trackDiagnosis?: boolean
}

/** An immutable picture of the session for UI code; a new object only when a field changed. */
export interface AuthSnapshot<Claims extends JwtClaims = JwtClaims> {
  /** `'restoring' | 'authenticated' | 'refreshing' | 'unauthenticated'`: restoring while an async storage loads. */
  readonly status: SessionStatus
  /** True while a refresh is in flight. */
  readonly isRefreshing: boolean
  /** True while an access token is held, including during a refresh that renews it. */
  readonly isAuthenticated: boolean
  /** The access token's decoded claims; `undefined` for opaque tokens or none. */
  readonly claims: Readonly<Claims> | undefined
  /** When the access token expires (epoch ms), if known. */
  readonly expiresAt: number | undefined
  /**
   * True once the access token expires within `expiringWithinMs` or within a quarter of its
   * lifetime, whichever is shorter (or has expired). The lifetime is `exp - iat` of a JWT, else
   * what was left of the token when it arrived; so a banner "Session expiring…" shows near the
   * end of short tokens too, and turns off when fresh tokens arrive.
   */
  readonly isExpiring: boolean
  /**
   * The latest `diagnosis` seen while the store had subscribers, with `trackDiagnosis: true`;
   * otherwise always `undefined`.
   */
  readonly lastDiagnosis: Diagnosis | undefined
}

/** A subscribable snapshot of a session, shaped for React's `useSyncExternalStore` and Vue refs. */
export interface AuthStore<Claims extends JwtClaims = JwtClaims> {
  /** Calls `listener` after each snapshot change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current snapshot: the same object until something changed. */
  getSnapshot(): AuthSnapshot<Claims>
  /** A snapshot for server rendering and hydration: computed once, without timers. */
  getServerSnapshot(): AuthSnapshot<Claims>
  /** Drops every subscriber, session listener and timer. A later `subscribe` starts afresh. */
  destroy(): void
}

// Timers fire at once for delays above 2^31 - 1 ms (about 24.8 days), so longer waits are split.
const MAX_TIMER_DELAY_MS = 2_147_483_647

// The share of a token's lifetime at whose end it counts as expiring, when that is shorter than expiringWithinMs.
const EXPIRING_SHARE = 0.25

const keys = ['status', 'isRefreshing', 'isAuthenticated', 'claims', 'expiresAt', 'isExpiring', 'lastDiagnosis'] as const

const sameSnapshot = (a: AuthSnapshot, b: AuthSnapshot) => keys.every((key) => Object.is(a[key], b[key]))

/**
 * Creates a store that turns a session's events into snapshots. It listens to the session only
 * while it has subscribers, so a store nobody reads holds no listener and no timer. Subscribers
 * are called only when the snapshot changed: a burst of 401s sharing one refresh notifies them
 * for the status and token changes (a handful of times), not once per 401.
 *
 * @param client - An auth client (or anything with its `session`, `clearTokens` and `refresh`).
 * @param options - `expiringWithinMs`, `trackDiagnosis`.
 * @returns The store.
 * @throws ConfigurationError `invalid-option` when `client` has no session, `expiringWithinMs` is not a
 * non-negative number, or `trackDiagnosis` is not a boolean.
 * @example
 * ```ts
 * const store = createAuthStore(auth, { expiringWithinMs: 30_000, trackDiagnosis: true })
 * const stop = store.subscribe(() => render(store.getSnapshot().status))
 * ```
 */
export function createAuthStore<Claims extends JwtClaims = JwtClaims>(client: AuthStoreClient<Claims>, options: AuthStoreOptions = {}): AuthStore<Claims> {
  if (typeof client?.session?.on !== 'function') {
    throw new ConfigurationError('invalid-option', `An auth client is needed (got ${client === null ? 'null' : typeof client} without a session): pass the object createAuthClient() returned.`)
  }
  const { session } = client
  const expiringWithinMs = options.expiringWithinMs ?? 60_000
  if (typeof expiringWithinMs !== 'number' || !(expiringWithinMs >= 0) || !Number.isFinite(expiringWithinMs)) {
    throw new ConfigurationError('invalid-option', `expiringWithinMs must be a non-negative number of milliseconds (got ${String(expiringWithinMs)}): pass e.g. 60_000, or leave it out.`)
  }
  const trackDiagnosis = options.trackDiagnosis ?? false
  if (typeof trackDiagnosis !== 'boolean') {
    throw new ConfigurationError('invalid-option', `trackDiagnosis must be true or false (got ${typeof trackDiagnosis}): pass true to fill lastDiagnosis, or leave it out.`)
  }
  const subscribers = new Set<() => void>()
  let detachSession: (() => void) | undefined
  let timer: { handle: unknown } | undefined
  let lastDiagnosis: Diagnosis | undefined
  let snapshot: AuthSnapshot<Claims> | undefined
  let serverSnapshot: AuthSnapshot<Claims> | undefined

  // Within this of expiry, the token is expiring: never more than a quarter of its life.
  const expiringWindow = () => {
    const lifetime = session.lifetimeMs
    return lifetime === undefined ? expiringWithinMs : Math.min(expiringWithinMs, lifetime * EXPIRING_SHARE)
  }

  const read = (diagnosis: Diagnosis | undefined): AuthSnapshot<Claims> => {
    const status = session.status
    const expiresAt = session.expiresAt
    return Object.freeze({
      status,
      isRefreshing: status === 'refreshing',
      isAuthenticated: session.accessToken !== undefined,
      claims: session.claims,
      expiresAt,
      // expiresAt is in server time (the token's `exp`), so it is compared with server time.
      isExpiring: expiresAt !== undefined && expiresAt - session.serverClock.now() <= expiringWindow(),
      lastDiagnosis: diagnosis,
    })
  }

  /** Re-reads the session, keeping the current object when nothing changed. */
  const settle = (): AuthSnapshot<Claims> => {
    const next = read(lastDiagnosis)
    if (!snapshot || !sameSnapshot(snapshot, next)) snapshot = next
    return snapshot
  }

  const update = () => {
    const before = snapshot
    if (settle() === before) return
    for (const subscriber of [...subscribers]) subscriber()
  }

  const clearTimer = () => {
    if (timer) session.clock.clearTimeout(timer.handle)
    timer = undefined
  }

  /** Arms the one timer that flips `isExpiring`; only while subscribed. */
  const schedule = () => {
    clearTimer()
    if (!detachSession || !snapshot || snapshot.expiresAt === undefined || snapshot.isExpiring) return
    const delay = Math.min(snapshot.expiresAt - expiringWindow() - session.serverClock.now(), MAX_TIMER_DELAY_MS)
    const handle = session.clock.setTimeout(() => {
      timer = undefined
      update()
      // Re-arms after a split wait, or a timer that fired early.
      schedule()
    }, delay)
    timer = { handle }
  }

  const onDiagnosis = (diagnosis: Diagnosis) => {
    const sameCause = snapshot?.lastDiagnosis?.code === diagnosis.code
    lastDiagnosis = diagnosis
    // Each 401 of a burst brings its own diagnosis object: one per cause is news, the rest ride
    // along with the next status or token change.
    if (!sameCause) update()
  }

  const start = () => {
    const offs = [
      session.on('status', update),
      session.on('tokens', () => {
        update()
        schedule()
      }),
    ]
    // Only on request: a listener makes the client diagnose every 401, which costs a token decode each.
    if (trackDiagnosis) offs.push(session.on('diagnosis', onDiagnosis))
    detachSession = () => offs.forEach((off) => off())
    // Catch up silently: the new subscriber reads the snapshot after subscribing.
    settle()
    schedule()
  }

  const stop = () => {
    detachSession?.()
    detachSession = undefined
    clearTimer()
  }

  return {
    subscribe(listener) {
      // A wrapper per call, so that the same function subscribed twice needs two unsubscribes.
      const subscriber = () => listener()
      subscribers.add(subscriber)
      if (!detachSession) start()
      return () => {
        if (!subscribers.delete(subscriber)) return
        if (subscribers.size === 0) stop()
      }
    },
    // Unsubscribed, nothing reports changes: re-read, which keeps the object when nothing changed.
    getSnapshot: () => (detachSession && snapshot ? snapshot : settle()),
    getServerSnapshot: () => (serverSnapshot ??= read(undefined)),
    destroy() {
      subscribers.clear()
      stop()
    },
  }
}
