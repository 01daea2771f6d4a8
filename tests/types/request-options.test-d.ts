// Type contracts of the public API, checked by `tsc` (npm run typecheck), never executed.
import axios from 'axios'
import { createAuthClient, type AuthClient, type Diagnosis, type LoginRequiredEvent, type SessionStatus } from 'axios-reauth'

const api = axios.create()
const auth: AuthClient = createAuthClient({
  refresh: async ({ refreshToken, signal }) => {
    const { data } = await axios.post<{ access_token: string; refresh_token?: string }>('/auth/refresh', { refreshToken }, { signal })
    return { accessToken: data.access_token, refreshToken: data.refresh_token }
  },
  onLoginRequired: (event: LoginRequiredEvent) => void event.reason,
})
auth.attach(api)

// Per-request options are typed on axios's own config: no casts.
void api.get('/public', { skipAuth: true })
void api.post('/payments', {}, { replay: false })
// @ts-expect-error skipAuth is a boolean
void api.get('/x', { skipAuth: 'yes' })

// Events carry typed payloads.
auth.on('status', (status: SessionStatus) => status)
auth.on('diagnosis', (diagnosis: Diagnosis) => diagnosis.hint)
auth.on('refresh:failure', ({ attempt, error }) => [attempt.toFixed(), error.code])
// @ts-expect-error unknown event names are refused
auth.on('refresh:done', () => undefined)

// @ts-expect-error refresh is required
createAuthClient({})
