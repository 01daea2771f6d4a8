import { QueryClient } from '@tanstack/vue-query'
import { LoginRequiredError, type AuthClient } from 'axios-reauth'

/** A `LoginRequiredError` is never retried: the session is over, a retry would only get 401 again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof LoginRequiredError) && failureCount < 3
}

/** The query client, its cache dropped when the session ends so no user sees another's data. */
export function createQueryClient(auth: AuthClient): QueryClient {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: shouldRetry } } })
  auth.on('loginRequired', () => queryClient.clear())
  return queryClient
}
