import { LoginRequiredError, type RefreshResult, type TabCoordinator, type TabMessage } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createSessionPort } from '../../../src/core/internal'
import { createDeferred } from '../../../src/core/support/deferred'
import { createManualClock } from '../../helpers/manual-clock'

/** Tabs of one origin: a channel that delivers each message to the other tabs a moment later, as BroadcastChannel does. */
function fakeBus() {
  const listeners = new Set<{ tab: number; onMessage: (message: TabMessage) => void }>()
  const sent: TabMessage[] = []
  let tabs = 0
  const open = (): TabCoordinator => {
    const tab = ++tabs
    return {
      lock: (_name, _bound, run) => run(),
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
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

function twoTabs(options: { clock?: ReturnType<typeof createManualClock>['clock']; secondReauthenticates?: boolean } = {}) {
  const bus = fakeBus()
  const dialog = createDeferred<RefreshResult>()
  const reauthenticateA = vi.fn(() => dialog.promise)
  const reauthenticateB = vi.fn(() => new Promise<RefreshResult>(() => {}))
  const onLoginRequiredA = vi.fn()
  const onLoginRequiredB = vi.fn()
  const tokens = { accessToken: 'a0', refreshToken: 'r0' }
  const a = createSessionPort({ refresh: refused, reauthenticate: reauthenticateA, onLoginRequired: onLoginRequiredA, tokens, tabs: bus.open() })
  const b = createSessionPort({
    refresh: refused,
    reauthenticate: options.secondReauthenticates === false ? undefined : reauthenticateB,
    onLoginRequired: onLoginRequiredB,
    tokens,
    tabs: bus.open(),
    clock: options.clock,
    reauthenticateTimeoutMs: 60_000,
  })
  return { a, b, bus, dialog, reauthenticateA, reauthenticateB, onLoginRequiredA, onLoginRequiredB }
}

describe('a sign-in in one tab, seen by another', () => {
  it('holds the other tab’s requests without a dialog of its own, and releases them with the tokens the sign-in gave', async () => {
    const { a, b, bus, dialog, reauthenticateA, reauthenticateB } = twoTabs()
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
    const { a, b, dialog, reauthenticateB, onLoginRequiredA, onLoginRequiredB } = twoTabs()
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
    const manual = createManualClock()
    const { a, b, onLoginRequiredB } = twoTabs({ clock: manual.clock })
    void a.refresh().catch(() => {})
    await settled()
    const held = b.whenReady()
    const outcome = held?.catch((error: unknown) => error)
    await manual.advance(60_999)
    expect(b.status).toBe('reauthenticating')
    await manual.advance(1)
    const error = await outcome
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(error).toMatchObject({ reason: 'refresh-rejected', cause: { code: 'reauthenticate-timeout' } })
    expect(onLoginRequiredB).toHaveBeenCalledTimes(1)
    a.dispose()
  })

  it('takes over a refresh the other tab had in flight: its call is aborted and its callers get the sign-in’s tokens', async () => {
    const bus = fakeBus()
    const dialog = createDeferred<RefreshResult>()
    const a = createSessionPort({ refresh: refused, reauthenticate: () => dialog.promise, tokens: { accessToken: 'a0', refreshToken: 'r0' }, tabs: bus.open() })
    let refreshSignal: AbortSignal | undefined
    const b = createSessionPort({
      refresh: ({ signal }) => {
        refreshSignal = signal
        return new Promise<never>(() => {})
      },
      reauthenticate: () => new Promise<never>(() => {}),
      tokens: { accessToken: 'a0', refreshToken: 'r0' },
      tabs: bus.open(),
    })
    const inFlight = b.refresh()
    await settled()
    void a.refresh()
    await settled()
    expect(b.status).toBe('reauthenticating')
    expect(refreshSignal?.aborted).toBe(true)
    dialog.resolve({ accessToken: 'a1' })
    await expect(inFlight).resolves.toEqual({ accessToken: 'a1' })
  })

  it('is ignored by a tab without reauthenticate, which refreshes and ends as before', async () => {
    const { a, b } = twoTabs({ secondReauthenticates: false })
    void a.refresh()
    await settled()
    expect(b.status).toBe('authenticated')
    a.dispose()
  })
})
