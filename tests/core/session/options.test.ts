import {
  ConfigurationError,
  createAuthClient,
  createSession,
  createSystemClock,
  crossTab,
  isReauthError,
  LoginRequiredError,
  memoryStorage,
  RefreshFailedError,
  scheduledRefresh,
  type AuthClientOptions,
} from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { describe, expect, it, vi } from 'vitest'
import { resolveClientOptions } from '../../../src/core/session/options'

const refresh = async () => ({ accessToken: 'never-used' })
const quiet = () => ({ debug: vi.fn(), warn: vi.fn() })
const create = (options: unknown) => createAuthClient(options as AuthClientOptions)
const caught = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  return expect.unreachable('no error was thrown')
}

describe('options that cannot work get a ConfigurationError naming the fix', () => {
  it.each([
    ['no options at all', undefined, /needs an options object \(got undefined\): call createAuthClient\(\{ refresh: async/],
    ['null', null, /needs an options object \(got null\)/],
    ['a function instead of the options', refresh, /needs an options object \(got function\)/],
    ['an array', [refresh], /needs an options object \(got an array\)/],
    ['no refresh function', {}, /needs a refresh function \(got undefined\): pass refresh: async/],
    ['a refresh that is a string', { refresh: '/auth/refresh' }, /needs a refresh function \(got string\)/],
  ])('refuses %s', (_, options, message) => {
    const error = caught(() => create(options))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ code: 'invalid-option' })
    expect((error as Error).message).toMatch(message)
  })

  it('refuses createAuthClient() called with nothing', () => {
    const error = caught(() => (createAuthClient as (options?: AuthClientOptions) => unknown)())
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/^\[axios-reauth\] createAuthClient\(\) needs an options object/)
  })

  it.each([
    ['refreshTimeoutMs', Infinity, /refused refreshTimeoutMs \(Infinity\): it must be a positive, finite number of milliseconds.* Pass e\.g\. refreshTimeoutMs: 15000/],
    ['refreshTimeoutMs', NaN, /refused refreshTimeoutMs \(NaN\): it must be a positive, finite number/],
    ['refreshTimeoutMs', -1, /refused refreshTimeoutMs \(-1\)/],
    ['refreshTimeoutMs', 0, /refused refreshTimeoutMs \(0\)/],
    ['refreshTimeoutMs', 2 ** 31, /at most 2147478647/],
    ['refreshTimeoutMs', '15000', /refused refreshTimeoutMs \(a string\)/],
    ['leewaySeconds', NaN, /refused leewaySeconds \(NaN\): it must be a finite number of seconds, 0 or more\. Pass e\.g\. leewaySeconds: 30/],
    ['leewaySeconds', -5, /refused leewaySeconds \(-5\)/],
    ['leewaySeconds', Infinity, /refused leewaySeconds \(Infinity\)/],
    ['allowedOrigins', 'https://api.example.com', /refused allowedOrigins \(a string\): it must be an array of origins\. Write allowedOrigins: \['https:\/\/api\.example\.com'\]/],
    ['allowedOrigins', [42], /allowedOrigins\[0\] is 42, not a string or a RegExp\. Write it as 'https:\/\/api\.example\.com'/],
    ['allowedOrigins', ['api.example.com'], /allowedOrigins has an entry that is not an absolute origin \("api\.example\.com"\)\. Write it as/],
    ['storage', {}, /refused storage \(an object\): it has no get, set, clear method\. Pass an object with get, set, clear, e\.g\. memoryStorage\(\)/],
    ['storage', { get: () => undefined, set: () => {} }, /refused storage \(an object\): it has no clear method/],
    ['storage', 'localStorage', /refused storage \(a string\): it must be an object with get, set, clear/],
    ['clock', { now: () => 0 }, /refused clock \(an object\): it has no setTimeout, clearTimeout method\. .*createSystemClock\(\)/],
    ['logger', { log: () => {} }, /refused logger \(an object\): it has no debug, warn method\. .*e\.g\. console/],
    ['onLoginRequired', '/login', /refused onLoginRequired \(a string\): it must be a function\. Pass onLoginRequired: \(\) =>/],
    ['classifyRefreshFailure', 'fatal', /refused classifyRefreshFailure \(a string\): it must be a function/],
    ['shouldRefresh', true, /refused shouldRefresh \(true\): it must be a function/],
    ['dpop', {}, /refused dpop \(an object\): it has no proof, rememberNonce method\. .*dpop\(\) from 'axios-reauth\/dpop'/],
    ['dpop', { proof: () => 'proof' }, /refused dpop \(an object\): it is a bare \{ proof \} factory.*Pass dpop: dpop\(\{ proof \}\) from 'axios-reauth\/dpop'/],
    ['crossTab', 'yes', /refused crossTab \(a string\): the code it needs ships only when imported\. Pass crossTab: crossTab\(\{ name: 'my-app' \}\) with import \{ crossTab \} from 'axios-reauth'/],
    ['crossTab', { name: 'my-app' }, /refused crossTab \(an object\): the code it needs ships only when imported\. Pass crossTab: crossTab\(\{ name: 'my-app' \}\)/],
    ['scheduleRefresh', true, /refused scheduleRefresh \(true\): the code it needs ships only when imported\. Pass scheduleRefresh: scheduledRefresh\(\) with import \{ scheduledRefresh \} from 'axios-reauth'/],
    ['scheduleRefresh', 'true', /refused scheduleRefresh \(a string\): the code it needs ships only when imported/],
    ['debug', 1, /refused debug \(1\): it must be true or false/],
    ['refreshTokenInCookie', 'yes', /refused refreshTokenInCookie \(a string\): it must be true or false/],
  ])('refuses %s: %s', (key, value, message) => {
    const error = caught(() => create({ refresh, logger: quiet(), [key]: value }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ code: 'invalid-option' })
    // What failed: why. What to do.
    expect((error as Error).message).toMatch(/^\[axios-reauth\] createAuthClient\(\) refused \S+ \([^)]*\): .+\. .+\.$/)
    expect((error as Error).message).toMatch(message)
  })

  it('never shows the string it refused, which may be a secret', () => {
    const error = caught(() => create({ refresh, storage: 'eyJhbGciOiJIUzI1NiJ9.secret' }))
    expect((error as Error).message).not.toContain('secret')
  })
})

describe('an unknown option key', () => {
  it('gets one warning naming the key and the option it was likely meant to be', () => {
    const logger = quiet()
    const auth = create({ refresh, logger, leeway: 5 })
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(logger.warn.mock.calls[0]![0]).toMatch(/^\[axios-reauth\] createAuthClient\(\) ignored "leeway" \(did you mean "leewaySeconds"\?\): it is not an option of the client\. Fix the spelling, or remove it\.$/)
    expect(auth.session.leewayMs).toBe(30_000)
  })

  it('names every unknown key in that one warning', () => {
    const logger = quiet()
    create({ refresh, logger, refreshTimeout: 5_000, onLoginRequred: () => {}, banana: true })
    expect(logger.warn).toHaveBeenCalledTimes(1)
    const [message] = logger.warn.mock.calls[0]!
    expect(message).toContain('"refreshTimeout" (did you mean "refreshTimeoutMs"?)')
    expect(message).toContain('"onLoginRequred" (did you mean "onLoginRequired"?)')
    expect(message).toMatch(/, "banana": they are not options of the client\. Fix the spelling, or remove them\.$/)
  })

  it.each([
    ['timeout', 'refreshTimeoutMs'],
    ['leewayMs', 'leewaySeconds'],
    ['crosstab', 'crossTab'],
    ['onLogin', 'onLoginRequired'],
    ['clok', 'clock'],
  ])('suggests for %s the option %s', (key, suggestion) => {
    const logger = quiet()
    create({ refresh, logger, [key]: 1 })
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`"${key}" (did you mean "${suggestion}"?)`))
  })

  it.each([
    ['askTimeoutMs', 'crossTab: crossTab({ askTimeoutMs })'],
    ['wakeEvents', 'scheduleRefresh: scheduledRefresh({ wakeEvents })'],
  ])('points %s given at the top level to %s', (key, fix) => {
    const logger = quiet()
    create({ refresh, logger, [key]: key === 'wakeEvents' ? () => () => {} : 1_000 })
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`"${key}" (did you mean ${fix}?)`))
  })

  it('goes to console.warn when no logger was given', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    create({ refresh, leeway: 5 })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toContain('"leeway"')
  })
})

describe('opt-in cross-tab coordination and scheduled refresh', () => {
  const coordination = crossTab()

  it('use the coordination a storage shared by the tabs carries, by default and for crossTab: true', () => {
    const shared = { ...memoryStorage(), sharedAcrossTabs: true, crossTab: coordination }
    expect(resolveClientOptions({ refresh, storage: shared }).crossTab).toBe(coordination)
    expect(resolveClientOptions({ refresh, storage: shared, crossTab: true }).crossTab).toBe(coordination)
    expect(resolveClientOptions({ refresh, storage: shared, crossTab: false }).crossTab).toBeUndefined()
  })

  it('prefer the coordination given over the storage’s', () => {
    const own = crossTab({ name: 'mine' })
    const shared = { ...memoryStorage(), sharedAcrossTabs: true, crossTab: coordination }
    expect(resolveClientOptions({ refresh, storage: shared, crossTab: own }).crossTab).toBe(own)
  })

  it('stay off for storage the tabs do not share', () => {
    expect(resolveClientOptions({ refresh, storage: { ...memoryStorage(), crossTab: coordination } }).crossTab).toBeUndefined()
  })

  it('refuse a storage shared by the tabs that carries no coordination, naming crossTab() and false', () => {
    const error = caught(() => create({ refresh, logger: quiet(), storage: { ...memoryStorage(), sharedAcrossTabs: true } }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/needs crossTab: the storage is shared by the tabs .*spend each other's rotated refresh tokens.*crossTab: crossTab\(\{ name: 'my-app' \}\).*crossTab: false/)
  })

  it('refuse crossTab: true when nothing carries the coordination', () => {
    const error = caught(() => create({ refresh, logger: quiet(), crossTab: true }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/refused crossTab \(true\): the storage carries no coordination.*pass crossTab: crossTab\(\{ name: 'my-app' \}\) with import \{ crossTab \} from 'axios-reauth'/)
  })

  it.each([
    [{ name: '' }, /crossTab\(\) refused its name: it must be a non-empty string/],
    [{ name: 'my-app', askTimeoutMs: Number.NaN }, /crossTab\(\) refused askTimeoutMs \(NaN\): it must be a non-negative, finite number of milliseconds/],
    [{ askTimeoutMs: -1 }, /refused askTimeoutMs \(-1\)/],
    [{ askTimeoutMs: '300' }, /refused askTimeoutMs \(string\)/],
  ])('refuse crossTab(%o) at once', (options, message) => {
    const error = caught(() => crossTab(options as never))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(message)
  })

  it('refuse scheduledRefresh() with wakeEvents that are not a function', () => {
    const error = caught(() => scheduledRefresh({ wakeEvents: {} as never }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/scheduledRefresh\(\) refused wakeEvents: it must be a function/)
  })
})

describe('valid options', () => {
  it('are accepted without a warning, with null and undefined taking the default', () => {
    const logger = quiet()
    const auth = create({
      refresh,
      logger,
      tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' },
      onLoginRequired: () => {},
      refreshTimeoutMs: 1,
      leewaySeconds: 0,
      classifyRefreshFailure: () => 'fatal',
      refreshTokenInCookie: false,
      storage: memoryStorage(),
      clock: createSystemClock(),
      scheduleRefresh: scheduledRefresh({ wakeEvents: () => () => {} }),
      debug: true,
      diagnose,
      crossTab: crossTab({ name: 'my-app', askTimeoutMs: 0 }),
      allowedOrigins: ['https://files.example.com', /^https:\/\/[a-z]+\.example\.com$/],
      shouldRefresh: () => undefined,
      dpop: { proof: async () => 'proof', rememberNonce: () => {} },
    })
    expect(auth.session.leewayMs).toBe(0)
    expect(() => create({ refresh, logger, storage: null, clock: undefined, crossTab: null, scheduleRefresh: false, allowedOrigins: null })).not.toThrow()
    expect(logger.warn).not.toHaveBeenCalled()
  })

  it('resolve every default once, into a frozen object', () => {
    const resolved = resolveClientOptions({ refresh })
    expect(Object.isFrozen(resolved)).toBe(true)
    expect(Object.isFrozen(resolved.allowedOrigins)).toBe(true)
    expect(resolved).toMatchObject({
      refresh,
      tokens: undefined,
      refreshTimeoutMs: 15_000,
      leewayMs: 30_000,
      refreshTokenInCookie: false,
      logger: console,
      diagnosisLogger: undefined,
      crossTab: undefined,
      tabLeaseMs: 20_000,
      scheduleRefresh: undefined,
      allowedOrigins: [],
    })
    expect(typeof resolved.clock.now()).toBe('number')
    expect(resolved.classifyRefreshFailure({ response: { status: 400 } })).toBe('fatal')
    expect(resolved.classifyRefreshFailure({ response: { status: 503 } })).toBe('transient')
    expect(typeof resolved.storage.get).toBe('function')
  })

  it('derive the lease, the leeway and the diagnosis logger from what was given', () => {
    const logger = quiet()
    const resolved = resolveClientOptions({ refresh, logger, debug: true, diagnose, refreshTimeoutMs: 2_000, leewaySeconds: 1.5 })
    expect(resolved).toMatchObject({ tabLeaseMs: 7_000, leewayMs: 1_500, logger, diagnosisLogger: logger })
  })


  it('normalize the initial tokens with the given clock', () => {
    const clock = { ...createSystemClock(), now: () => 1_000_000 }
    const resolved = resolveClientOptions({ refresh, clock, tokens: { accessToken: 'a', expiresIn: 60 } })
    expect(resolved.tokens).toEqual({ accessToken: 'a', expiresAt: 1_060_000 })
  })
})

describe('a refresh that fails with something other than an Error', () => {
  const tokens = { accessToken: 'old-access', refreshToken: 'old-refresh' }

  it('keeps the thrown object reachable as the cause of the RefreshFailedError', async () => {
    const thrown = { error: 'invalid_grant', error_description: 'refresh token 9f8e7d6c5b4a expired' }
    const auth = create({ refresh: () => Promise.reject(thrown), tokens, logger: quiet() })
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefreshFailedError)
    const cause = (error as Error).cause as Error
    expect(cause).toBeInstanceOf(Error)
    expect(cause.cause).toBe(thrown)
    expect(cause.message).toBe('Non-error value thrown: { error: "…rant", error_description: "…ired" }')
    expect((error as Error).message).not.toContain('9f8e7d6c')
  })

  it('keeps the thrown object reachable as the cause of the LoginRequiredError when it is fatal', async () => {
    const thrown = { status: 400, error: 'invalid_grant' }
    const auth = create({ refresh: () => Promise.reject(thrown), tokens, logger: quiet() })
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(isReauthError(error) && ((error.cause as Error).cause === thrown)).toBe(true)
    expect(((error as Error).cause as Error).message).toBe('Non-error value thrown: { status: 400, error: "…rant" }')
  })

  it('keeps a thrown string as the message and the cause', async () => {
    const auth = create({ refresh: () => Promise.reject('offline'), tokens, logger: quiet() })
    const error = (await auth.refresh().catch((e: unknown) => e)) as Error
    expect(error.message).toContain('The token refresh failed: offline.')
    expect((error.cause as Error).cause).toBe('offline')
  })
})

describe('createSession()', () => {
  it('names itself when it has no refresh function', () => {
    const error = caught(() => createSession({} as never))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/^\[axios-reauth\] createSession\(\) needs a refresh function \(got undefined\): pass refresh: async/)
  })
})
