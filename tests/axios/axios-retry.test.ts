import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import axiosRetry from 'axios-retry'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

type Order = 'axios-retry first' | 'axios-reauth first'

function setup(order: Order) {
  const refresh = vi.fn(async () => ({ accessToken: 'new-access-0002', refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old-access-0001', refreshToken: 'r1' } })
  const api = axios.create({ baseURL: API })
  // retryDelay 0: the recipe is about who retries what, not about waiting between attempts.
  const retry = () => axiosRetry(api, { retries: 2, retryDelay: () => 0 })
  if (order === 'axios-retry first') {
    retry()
    auth.attach(api)
  } else {
    auth.attach(api)
    retry()
  }
  return { api, refresh }
}

/** Records the Authorization header of every request the API receives. */
function recordSent(respond: (sent: string[]) => Response) {
  const sent: string[] = []
  server.use(
    http.get(`${API}/x`, ({ request }) => {
      sent.push(request.headers.get('authorization') ?? '')
      return respond(sent)
    }),
  )
  return sent
}

describe.each<Order>(['axios-retry first', 'axios-reauth first'])('axios-retry and axios-reauth, %s', (order) => {
  it('retries a 503 through axios-retry alone, each attempt with the token', async () => {
    const sent = recordSent((s) => (s.length < 3 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ ok: true })))
    const { api, refresh } = setup(order)
    const response = await api.get('/x')
    expect(response.data).toEqual({ ok: true })
    expect(sent).toEqual(['Bearer old-access-0001', 'Bearer old-access-0001', 'Bearer old-access-0001'])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('refreshes a 401 once and replays it once, with no retry by axios-retry', async () => {
    const sent = recordSent((s) => (s.length === 1 ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ ok: true })))
    const { api, refresh } = setup(order)
    const response = await api.get('/x')
    expect(response.data).toEqual({ ok: true })
    expect(sent).toEqual(['Bearer old-access-0001', 'Bearer new-access-0002'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('sends a request that keeps getting 401 twice at most, then ends the session', async () => {
    const sent = recordSent(() => new HttpResponse(null, { status: 401 }))
    const { api, refresh } = setup(order)
    const error = await api.get('/x').catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('login-required')
    expect(sent).toHaveLength(2)
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
