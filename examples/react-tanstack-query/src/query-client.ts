import { QueryClient } from '@tanstack/react-query'
import { LoginRequiredError, type AuthClient } from 'axios-reauth'

/**
 * TanStack Query retries a failed query 3 times by default. A `LoginRequiredError` means the
 * session is over: retrying would only send tokenless requests that get 401 again, so it is
 * never retried. Everything else keeps the default (3 retries).
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof LoginRequiredError) && failureCount < 3
}

export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: shouldRetry } } })
}

/**
 * Keeps the cache in step with the session:
 * - the session ended: drop every cached query, so the next user never sees this one's data;
 * - tokens arrived after none (a login, or another tab signed in): refetch what is on screen.
 *   A refresh only rotates the token, so it refetches nothing.
 * @returns The function that stops it.
 */
export function syncQueriesWithSession(auth: AuthClient, queryClient: QueryClient): () => void {
  let signedIn = auth.getTokens() !== undefined
  const stops = [
    auth.on('loginRequired', () => queryClient.clear()),
    auth.on('tokens', (tokens) => {
      if (tokens && !signedIn) void queryClient.invalidateQueries()
      signedIn = tokens !== undefined
    }),
  ]
  return () => stops.forEach((stop) => stop())
}
