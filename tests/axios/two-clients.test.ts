import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

describe('two clients on one axios instance', () => {
  const A = 'https://a.test'
  const B = 'https://b.test'

  function twoClients() {
    const refreshA = vi.fn(async () => ({ accessToken: 'a-fresh', refreshToken: 'ra2' }))
    const refreshB = vi.fn(async () => ({ accessToken: 'b-fresh', refreshToken: 'rb2' }))
    const a = createAuthClient({ refresh: refreshA, tokens: { accessToken: 'a-old', refreshToken: 'ra1' }, allowedOrigins: [A] })
    const b = createAuthClient({ refresh: refreshB, tokens: { accessToken: 'b-old', refreshToken: 'rb1' }, allowedOrigins: [B] })
    const api = axios.create()
    a.attach(api)
    b.attach(api)
    const seen: Record<string, Array<string | null>> = { [A]: [], [B]: [] }
    for (const [origin, valid] of [[A, 'Bearer a-fresh'], [B, 'Bearer b-fresh']] as const) {
      server.use(
        http.get(`${origin}/*`, ({ request }) => {
          const header = request.headers.get('authorization')
          seen[origin]!.push(header)
          return header === valid ? HttpResponse.json({ origin }) : new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
        }),
      )
    }
    return { api, refreshA, refreshB, seen }
  }

  it("refreshes each client only for its own requests' 401s", async () => {
    const { api, refreshA, refreshB, seen } = twoClients()
    await expect(api.get(`${B}/me`).then((response) => response.data)).resolves.toEqual({ origin: B })
    expect(refreshB).toHaveBeenCalledTimes(1)
    expect(refreshA).not.toHaveBeenCalled()
    expect(seen[B]).toEqual(['Bearer b-old', 'Bearer b-fresh'])
  })

  it("never sends one client's token to the other client's API", async () => {
    const { api, seen } = twoClients()
    await Promise.all([api.get(`${A}/x`), api.get(`${B}/y`)])
    expect(seen[A]!.every((header) => header?.startsWith('Bearer a-'))).toBe(true)
    expect(seen[B]!.every((header) => header?.startsWith('Bearer b-'))).toBe(true)
  })
})
