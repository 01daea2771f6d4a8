import { QueryClient } from '@tanstack/react-query'
import { createAuthClient, LoginRequiredError, RefreshFailedError } from 'axios-reauth'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createQueryClient, syncQueriesWithSession } from '../../examples/react-tanstack-query/src/query-client'

// The recipe's query client, without a browser: fake timers move TanStack's retry delays.
beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

/** Fetches a query whose function always throws `error`; resolves with how often it ran. */
async function attemptsUntilError(queryClient: QueryClient, error: Error) {
  const queryFn = vi.fn(async () => {
    throw error
  })
  const settled = queryClient.fetchQuery({ queryKey: ['me'], queryFn }).catch((thrown: unknown) => thrown)
  await vi.runAllTimersAsync()
  expect(await settled).toBe(error)
  return queryFn.mock.calls.length
}

describe('the React + TanStack Query recipe', () => {
  it('never retries a LoginRequiredError', async () => {
    expect(await attemptsUntilError(createQueryClient(), new LoginRequiredError('refresh-rejected'))).toBe(1)
  })

  it('still retries other failures 3 times, as TanStack does by default', async () => {
    expect(await attemptsUntilError(createQueryClient(), new RefreshFailedError(1, 'the token endpoint answered 503'))).toBe(4)
  })

  it("saves 3 tokenless attempts over useQuery's default of 3 retries", async () => {
    const useQueryDefault = new QueryClient({ defaultOptions: { queries: { retry: 3 } } })
    expect(await attemptsUntilError(useQueryDefault, new LoginRequiredError('refresh-rejected'))).toBe(4)
  })

  it('clears the cache when the session ends, and refetches when tokens arrive after none', async () => {
    const auth = createAuthClient({ refresh: async () => Promise.reject(Object.assign(new Error('invalid_grant'), { status: 400 })), tokens: { accessToken: 'access-0001', refreshToken: 'refresh-0001' } })
    const queryClient = createQueryClient()
    syncQueriesWithSession(auth, queryClient)
    queryClient.setQueryData(['me'], { name: 'Ada' })

    await auth.refresh().catch(() => undefined)
    expect(queryClient.getQueryData(['me'])).toBeUndefined()

    const invalidate = vi.spyOn(queryClient, 'invalidateQueries')
    auth.setTokens({ accessToken: 'access-0002', refreshToken: 'refresh-0002' })
    expect(invalidate).toHaveBeenCalledTimes(1)
    auth.setTokens({ accessToken: 'access-0003', refreshToken: 'refresh-0003' })
    expect(invalidate).toHaveBeenCalledTimes(1)
  })
})
