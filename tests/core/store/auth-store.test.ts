import { createAuthStore, createSession, isReauthError, type Clock, type Diagnosis, type RefreshResult, type Session, type Tokens } from 'axios-reauth'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../../src/core/support/deferred'
import { createListeners } from '../../../src/core/support/listeners'
import { fakeJwt } from '../../helpers/jwt'

// The store is framework-free: it runs with every framework mocked to nothing.
vi.mock('axios', () => ({}))
vi.mock('react', () => ({}))
vi.mock('vue', () => ({}))

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** A clock on the (faked) global timers, counting the timers it schedules. */
function testClock() {
  const clock = {
    now: () => Date.now(),
    setTimeout: vi.fn((callback: () => void, ms: number): unknown => setTimeout(callback, ms)),
    clearTimeout: vi.fn((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>)),
  } satisfies Clock
  return clock
}

function setup(tokens: Tokens | undefined = { accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 10 * MINUTE }) {
  const pending = createDeferred<RefreshResult>()
  const refresh = vi.fn(() => pending.promise)
  const clock = testClock()
  const session = createSession({ refresh, tokens, clock })
  const auth = { session, clearTokens: session.clearTokens, refresh: session.refresh, setTokens: session.setTokens }
  return { auth, pending, refresh, clock }
}

/** Counts the session listeners that are still subscribed. */
function trackListeners(session: Session) {
  const on = session.on
  let active = 0
  vi.spyOn(session, 'on').mockImplementation((name, listener) => {
    const off = on(name, listener)
    active += 1
    let done = false
    return () => {
      if (!done) active -= 1
      done = true
      off()
    }
  })
  return { active: () => active }
}

/** Routes the session's `diagnosis` listeners to an emitter the test controls (the HTTP glue emits it, not the core). */
function emitDiagnoses(session: Session) {
  const diagnoses = createListeners<{ diagnosis: Diagnosis }>()
  const on = session.on
  const routed: Session['on'] = (name, listener) =>
    name === 'diagnosis' ? diagnoses.on('diagnosis', listener as (payload: Diagnosis) => void) : on(name, listener)
  vi.spyOn(session, 'on').mockImplementation(routed)
  return (diagnosis: Diagnosis) => diagnoses.emit('diagnosis', diagnosis)
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
})

afterEach(() => {
  vi.useRealTimers()
})

describe('createAuthStore: snapshots', () => {
  it('describes an authenticated session', () => {
    const expiresAt = Date.now() + 10 * MINUTE
    const accessToken = fakeJwt({ sub: 'ada', exp: expiresAt / 1000 })
    const { auth } = setup({ accessToken, refreshToken: 'r1' })
    expect(createAuthStore(auth).getSnapshot()).toEqual({
      status: 'authenticated',
      isRefreshing: false,
      isAuthenticated: true,
      claims: { sub: 'ada', exp: expiresAt / 1000 },
      expiresAt,
      isExpiring: false,
      lastDiagnosis: undefined,
    })
  })

  it('returns the same snapshot object while nothing changes', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    const first = store.getSnapshot()
    expect(store.getSnapshot()).toBe(first)
    store.subscribe(() => {})
    expect(store.getSnapshot()).toBe(first)
  })

  it('returns a frozen snapshot', () => {
    const { auth } = setup()
    expect(Object.isFrozen(createAuthStore(auth).getSnapshot())).toBe(true)
  })

  it('returns a new snapshot and notifies subscribers when a refresh starts', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    const listener = vi.fn()
    store.subscribe(listener)
    const before = store.getSnapshot()
    void auth.refresh()
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getSnapshot()).not.toBe(before)
    expect(store.getSnapshot()).toMatchObject({ status: 'refreshing', isRefreshing: true, isAuthenticated: true })
  })

  it('settles on the new tokens once the refresh succeeds', async () => {
    const { auth, pending } = setup()
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    const refreshed = auth.refresh()
    const expiresAt = Date.now() + 30 * MINUTE
    pending.resolve({ accessToken: fakeJwt({ sub: 'ada' }), refreshToken: 'r2', expiresAt })
    await refreshed
    expect(store.getSnapshot()).toMatchObject({ status: 'authenticated', isRefreshing: false, claims: { sub: 'ada' }, expiresAt })
  })

  it('reports a signed-out session after logout', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    auth.clearTokens()
    expect(store.getSnapshot()).toMatchObject({ status: 'unauthenticated', isAuthenticated: false, expiresAt: undefined })
  })

  it('catches up with changes made while it had no subscribers', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    const before = store.getSnapshot()
    auth.clearTokens()
    expect(store.getSnapshot()).not.toBe(before)
    expect(store.getSnapshot().status).toBe('unauthenticated')
  })

  it('keeps a stable server snapshot that ignores later changes and schedules no timer', () => {
    const { auth, clock } = setup()
    const store = createAuthStore(auth)
    const server = store.getServerSnapshot()
    auth.clearTokens()
    expect(store.getServerSnapshot()).toBe(server)
    expect(server.status).toBe('authenticated')
    expect(clock.setTimeout).not.toHaveBeenCalled()
  })

  it('rejects a negative expiringWithinMs with invalid-option', () => {
    const { auth } = setup()
    const attempt = () => createAuthStore(auth, { expiringWithinMs: -1 })
    expect(attempt).toThrow(/expiringWithinMs must be a non-negative number/)
    try {
      attempt()
    } catch (error) {
      expect(isReauthError(error) && error.code).toBe('invalid-option')
    }
  })

  it('rejects something that is not an auth client with invalid-option', () => {
    expect(() => createAuthStore(undefined as never)).toThrow(/An auth client is needed/)
  })
})

describe('createAuthStore: isExpiring', () => {
  it('flips isExpiring when the token comes within expiringWithinMs of expiry', () => {
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 10 * MINUTE })
    const store = createAuthStore(auth, { expiringWithinMs: 2 * MINUTE })
    const listener = vi.fn()
    store.subscribe(listener)
    vi.advanceTimersByTime(8 * MINUTE - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('defaults expiringWithinMs to one minute', () => {
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 10 * MINUTE })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    vi.advanceTimersByTime(9 * MINUTE - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('reads the expiry from the JWT exp claim', () => {
    const { auth } = setup({ accessToken: fakeJwt({ exp: (Date.now() + 10 * MINUTE) / 1000 }), refreshToken: 'r1' })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    vi.advanceTimersByTime(9 * MINUTE)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('reports an already expired token as expiring without scheduling a timer', () => {
    const { auth, clock } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() - 1 })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    expect(store.getSnapshot().isExpiring).toBe(true)
    expect(clock.setTimeout).not.toHaveBeenCalled()
  })

  it('waits out an expiry beyond the 24.8-day timer limit instead of flipping at once', () => {
    const { auth, clock } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 60 * DAY })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    vi.advanceTimersByTime(MINUTE)
    // An over-long delay fires at once, then again and again.
    expect(clock.setTimeout).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(60 * DAY - 2 * MINUTE - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('reschedules the expiry timer when new tokens expire sooner', () => {
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 10 * MINUTE })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    auth.setTokens({ accessToken: 'a2', refreshToken: 'r2', expiresAt: Date.now() + 5 * MINUTE })
    vi.advanceTimersByTime(4 * MINUTE - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('reschedules the expiry timer when new tokens expire later', () => {
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 10 * MINUTE })
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    auth.setTokens({ accessToken: 'a2', refreshToken: 'r2', expiresAt: Date.now() + 30 * MINUTE })
    vi.advanceTimersByTime(29 * MINUTE - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('keeps one expiry timer however many subscribers there are', () => {
    const { auth, clock } = setup()
    const store = createAuthStore(auth)
    store.subscribe(() => {})
    store.subscribe(() => {})
    store.subscribe(() => {})
    expect(clock.setTimeout).toHaveBeenCalledTimes(1)
  })

  it('clears the expiry timer when the last subscriber leaves', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    const stop = store.subscribe(() => {})
    expect(vi.getTimerCount()).toBe(1)
    stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('createAuthStore: session listeners', () => {
  it('listens to the session only once it has a subscriber', () => {
    const { auth } = setup()
    const listeners = trackListeners(auth.session)
    const store = createAuthStore(auth)
    store.getSnapshot()
    expect(listeners.active()).toBe(0)
    store.subscribe(() => {})
    expect(listeners.active()).toBeGreaterThan(0)
  })

  it('stops listening to the session when the last subscriber leaves', () => {
    const { auth } = setup()
    const listeners = trackListeners(auth.session)
    const store = createAuthStore(auth)
    const stopFirst = store.subscribe(() => {})
    const stopSecond = store.subscribe(() => {})
    stopFirst()
    expect(listeners.active()).toBeGreaterThan(0)
    stopSecond()
    expect(listeners.active()).toBe(0)
  })

  it('ignores a second call of the same unsubscribe function', () => {
    const { auth } = setup()
    const listeners = trackListeners(auth.session)
    const store = createAuthStore(auth)
    const stop = store.subscribe(() => {})
    store.subscribe(() => {})
    stop()
    stop()
    expect(listeners.active()).toBeGreaterThan(0)
  })

  it('drops every subscriber, listener and timer on destroy', () => {
    const { auth } = setup()
    const listeners = trackListeners(auth.session)
    const store = createAuthStore(auth)
    const listener = vi.fn()
    store.subscribe(listener)
    store.destroy()
    auth.clearTokens()
    expect(listener).not.toHaveBeenCalled()
    expect(listeners.active()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('works again after destroy when subscribed anew', () => {
    const { auth } = setup()
    const store = createAuthStore(auth)
    store.destroy()
    const listener = vi.fn()
    store.subscribe(listener)
    auth.clearTokens()
    expect(listener).toHaveBeenCalledTimes(1)
  })
})

describe('createAuthStore: lastDiagnosis', () => {
  const diagnosis: Diagnosis = { code: 'token-expired', message: 'The access token expired.', hint: 'Refresh it.' }

  it('starts without a diagnosis', () => {
    const { auth } = setup()
    expect(createAuthStore(auth, { trackDiagnosis: true }).getSnapshot().lastDiagnosis).toBeUndefined()
  })

  it('leaves diagnosis unobserved without trackDiagnosis, so the client diagnoses nothing for it', () => {
    const { auth } = setup()
    createAuthStore(auth).subscribe(() => {})
    expect(auth.session.isObserved('diagnosis')).toBe(false)
    expect(auth.session.isObserved('status')).toBe(true)
  })

  it('observes diagnosis with trackDiagnosis, and only while subscribed', () => {
    const { auth } = setup()
    const store = createAuthStore(auth, { trackDiagnosis: true })
    expect(auth.session.isObserved('diagnosis')).toBe(false)
    const stop = store.subscribe(() => {})
    expect(auth.session.isObserved('diagnosis')).toBe(true)
    stop()
    expect(auth.session.isObserved('diagnosis')).toBe(false)
  })

  it('keeps lastDiagnosis undefined and notifies nobody for diagnoses without trackDiagnosis', () => {
    const { auth } = setup()
    const emit = emitDiagnoses(auth.session)
    const store = createAuthStore(auth)
    const listener = vi.fn()
    store.subscribe(listener)
    emit(diagnosis)
    expect(store.getSnapshot().lastDiagnosis).toBeUndefined()
    expect(listener).not.toHaveBeenCalled()
  })

  it('keeps the latest diagnosis the session reported', () => {
    const { auth } = setup()
    const emit = emitDiagnoses(auth.session)
    const store = createAuthStore(auth, { trackDiagnosis: true })
    const listener = vi.fn()
    store.subscribe(listener)
    emit({ ...diagnosis, code: 'clock-skew' })
    emit(diagnosis)
    expect(store.getSnapshot().lastDiagnosis).toBe(diagnosis)
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('notifies once for a run of diagnoses with the same code', () => {
    const { auth } = setup()
    const emit = emitDiagnoses(auth.session)
    const store = createAuthStore(auth, { trackDiagnosis: true })
    const listener = vi.fn()
    store.subscribe(listener)
    const first = { ...diagnosis }
    emit(first)
    for (let i = 0; i < 49; i++) emit({ ...diagnosis, message: `The access token expired ${i} s ago.` })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getSnapshot().lastDiagnosis).toBe(first)
  })

  it('shows the latest diagnosis of a same-code run with the next change of the session', () => {
    const { auth } = setup()
    const emit = emitDiagnoses(auth.session)
    const store = createAuthStore(auth, { trackDiagnosis: true })
    const listener = vi.fn()
    store.subscribe(listener)
    emit({ ...diagnosis })
    const latest = { ...diagnosis, message: 'The access token expired 3 s ago.' }
    emit(latest)
    void auth.refresh()
    expect(listener).toHaveBeenCalledTimes(2)
    expect(store.getSnapshot()).toMatchObject({ status: 'refreshing', lastDiagnosis: latest })
  })

  it('leaves the diagnosis out of the server snapshot', () => {
    const { auth } = setup()
    const emit = emitDiagnoses(auth.session)
    const store = createAuthStore(auth, { trackDiagnosis: true })
    store.subscribe(() => {})
    emit(diagnosis)
    expect(store.getServerSnapshot().lastDiagnosis).toBeUndefined()
  })

  it('rejects a trackDiagnosis that is not a boolean with invalid-option', () => {
    const { auth } = setup()
    expect(() => createAuthStore(auth, { trackDiagnosis: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'invalid-option', message: expect.stringMatching(/^\[axios-reauth\] trackDiagnosis must be true or false \(got string\)/) }),
    )
  })
})
