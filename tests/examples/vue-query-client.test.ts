import { createAuthClient, LoginRequiredError, RefreshFailedError } from 'axios-reauth'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createQueryClient } from '../../examples/vue-router-query/src/query-client'

// The Vue recipe's query client, without a browser: fake timers move vue-query's retry delays.
beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

const signedIn = () =>
  createAuthClient({ refresh: async () => Promise.reject(Object.assign(new Error('invalid_grant'), { status: 400 })), tokens: { accessToken: 'access-0001', refreshToken: 'refresh-0001' } })

async function attemptsUntilError(error: Error) {
  const queryFn = vi.fn(async () => {
    throw error
  })
  const settled = createQueryClient(signedIn()).fetchQuery({ queryKey: ['me'], queryFn }).catch((thrown: unknown) => thrown)
  await vi.runAllTimersAsync()
  expect(await settled).toBe(error)
  return queryFn.mock.calls.length
}

describe('the Vue + vue-query recipe', () => {
  it('never retries a LoginRequiredError, and retries other failures 3 times', async () => {
    expect(await attemptsUntilError(new LoginRequiredError('refresh-rejected'))).toBe(1)
    expect(await attemptsUntilError(new RefreshFailedError(1, 'the token endpoint answered 503'))).toBe(4)
  })

  it('clears the cache when the session ends', async () => {
    const auth = signedIn()
    const queryClient = createQueryClient(auth)
    queryClient.setQueryData(['me'], { name: 'Ada' })
    await auth.refresh().catch(() => undefined)
    expect(queryClient.getQueryData(['me'])).toBeUndefined()
  })
})
