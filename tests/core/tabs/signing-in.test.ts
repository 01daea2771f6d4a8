import { LoginRequiredError, type RefreshResult, type TabCoordinator, type TabMessage } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createSessionPort } from '../../../src/core/internal'
import { createDeferred } from '../../../src/core/support/deferred'
import { connectTabs } from '../../../src/core/tabs/sync'
import { createManualClock } from '../../helpers/manual-clock'

/** Tabs of one origin: a channel that delivers each message to the other tabs a moment later, as BroadcastChannel does. */
function fakeBus() {
  const listeners = new Set<{ tab: number; onMessage: (message: TabMessage) => void }>()
  const sent: TabMessage[] = []
  let tabs = 0
  // One holder at a time, in turn, as Web Locks give it.
  let turn: Promise<unknown> = Promise.resolve()
  const open = (): TabCoordinator => {
    const tab = ++tabs
    return {
      lock: (_name, _bound, run) => {
        const mine = turn.then(run)
        turn = mine.catch(() => undefined)
        return mine
      },
      channel: {
        post(message) {
          sent.push(message)
          for (const listener of [...listeners]) if (listener.tab !== tab) queueMicrotask(() => listener.onMessage(structuredClone(message)))
        },
        listen(onMessage) {
          const entry = { tab, onMessage }
          listeners.add(entry)
          return () => listeners.delete(entry)
        },
      },
      close: () => {},
    }
  }
  return { open, sent }
}

const refused = () => Promise.reject(Object.assign(new Error('invalid_grant'), { response: { status: 400 } }))
/** Moves time on in small steps, so that timers set by promise chains along the way fire too. */
async function steps(manual: ReturnType<typeof createManualClock>) {
  for (let i = 0; i < 5; i++) await manual.advance(20)
}

function twoTabs(options: { secondReauthenticates?: boolean } = {}) {
  const manual = createManualClock()
  const { clock } = manual
  const bus = fakeBus()
  const dialog = createDeferred<RefreshResult>()
  const reauthenticateA = vi.fn(() => dialog.promise)
  const reauthenticateB = vi.fn(() => new Promise<RefreshResult>(() => {}))
  const onLoginRequiredA = vi.fn()
  const onLoginRequiredB = vi.fn()
  const tokens = { accessToken: 'a0', refreshToken: 'r0' }
  // Both tabs present the same refresh token, which the server has revoked.
  const refresh = vi.fn(refused)
  const a = createSessionPort({ refresh, reauthenticate: reauthenticateA, onLoginRequired: onLoginRequiredA, tokens, tabs: bus.open(), clock }, connectTabs)
  const b = createSessionPort(
    {
      refresh,
      reauthenticate: options.secondReauthenticates === false ? undefined : reauthenticateB,
      onLoginRequired: onLoginRequiredB,
      tokens,
      tabs: bus.open(),
      clock,
      reauthenticateTimeoutMs: 60_000,
    },
    connectTabs,
  )
  // Lets the refused refresh answer, and its tab hold the lock the moment it takes to tell the others.
  const settled = () => steps(manual)
  return { manual, settled, a, b, bus, refresh, dialog, reauthenticateA, reauthenticateB, onLoginRequiredA, onLoginRequiredB }
}

describe('a sign-in in one tab, seen by another', () => {
  it('holds the other tab’s requests without a dialog of its own, and releases them with the tokens the sign-in gave', async () => {
    const { settled, a, b, bus, dialog, reauthenticateA, reauthenticateB } = twoTabs()
    const first = a.refresh()
    await settled()
    expect(a.status).toBe('reauthenticating')
    expect(bus.sent).toContainEqual({ type: 'signing-in', reason: 'refresh-rejected' })
    expect(b.status).toBe('reauthenticating')
    const held = b.whenReady()
    const joined = b.refresh()
    expect(held).toBeInstanceOf(Promise)
    dialog.resolve({ accessToken: 'a1', refreshToken: 'r1' })
    await expect(first).resolves.toEqual({ accessToken: 'a1', refreshToken: 'r1' })
    await expect(held).resolves.toBeUndefined()
    await expect(joined).resolves.toEqual({ accessToken: 'a1', refreshToken: 'r1' })
    expect(b.status).toBe('authenticated')
    expect(b.accessToken).toBe('a1')
    expect(reauthenticateA).toHaveBeenCalledTimes(1)
    expect(reauthenticateB).not.toHaveBeenCalled()
  })

  it('ends the session in every tab when the sign-in is cancelled, each tab telling its app once', async () => {
    const { settled, a, b, dialog, reauthenticateB, onLoginRequiredA, onLoginRequiredB } = twoTabs()
    const first = a.refresh()
    await settled()
    const held = b.whenReady()
    dialog.reject(new Error('dialog closed'))
    await expect(first).rejects.toBeInstanceOf(LoginRequiredError)
    await expect(held).rejects.toMatchObject({ code: 'login-required', reason: 'refresh-rejected' })
    expect([a.status, b.status]).toEqual(['unauthenticated', 'unauthenticated'])
    expect(onLoginRequiredA).toHaveBeenCalledTimes(1)
    expect(onLoginRequiredB).toHaveBeenCalledTimes(1)
    expect(reauthenticateB).not.toHaveBeenCalled()
  })

  it('stops waiting for a sign-in tab that went silent, a second after its bound', async () => {
    const { manual, settled, a, b, onLoginRequiredB } = twoTabs()
    void a.refresh().catch(() => {})
    await settled()
    const held = b.whenReady()
    const outcome = held?.catch((error: unknown) => error)
    // This tab's bound (60 s) has passed, not yet the margin it leaves the sign-in tab's outcome.
    await manual.advance(60_800)
    expect(b.status).toBe('reauthenticating')
    await manual.advance(400)
    const error = await outcome
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(error).toMatchObject({ reason: 'refresh-rejected', cause: { code: 'reauthenticate-timeout' } })
    expect(onLoginRequiredB).toHaveBeenCalledTimes(1)
    a.dispose()
  })

  it('hands the refresh the other tab had waiting for the lock over to the sign-in: its callers get the sign-in’s tokens', async () => {
    const { settled, a, b, dialog, refresh } = twoTabs()
    void a.refresh()
    const inFlight = b.refresh()
    await settled()
    expect(b.status).toBe('reauthenticating')
    dialog.resolve({ accessToken: 'a1' })
    await expect(inFlight).resolves.toEqual({ accessToken: 'a1' })
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('tells the tab waiting for the lock before it presents the refused refresh token, so it opens no dialog', async () => {
    const { settled, a, b, refresh, reauthenticateA, reauthenticateB } = twoTabs()
    const both = [a.refresh(), b.refresh()]
    await settled()
    expect([a.status, b.status]).toEqual(['reauthenticating', 'reauthenticating'])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(reauthenticateA).toHaveBeenCalledTimes(1)
    expect(reauthenticateB).not.toHaveBeenCalled()
    a.dispose()
    b.dispose()
    await Promise.allSettled(both)
  })

  it('is ignored by a tab without reauthenticate, which refreshes and ends as before', async () => {
    const { settled, a, b } = twoTabs({ secondReauthenticates: false })
    void a.refresh()
    await settled()
    expect(b.status).toBe('authenticated')
    a.dispose()
  })
})
