import axios from 'axios'
import { IDBFactory } from 'fake-indexeddb'
import { decodeJwt } from 'jose'
import { http, HttpResponse } from 'msw'
import { createHash } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { createAuthClient } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { dpop, type DpopOptions } from 'axios-reauth/dpop'
import { createDeferred } from '../../src/core/support/deferred'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const OTHER = 'https://elsewhere.test'

interface Sent {
  url: string
  authorization: string | null
  proof: string | null
}

/** Records what each request carried; answers 200 unless `answer` says otherwise. */
function recordRequests(answer?: (request: Request, index: number) => Response | undefined) {
  const sent: Sent[] = []
  server.use(
    http.all('*', ({ request }) => {
      sent.push({ url: request.url, authorization: request.headers.get('authorization'), proof: request.headers.get('dpop') })
      return answer?.(request, sent.length - 1) ?? HttpResponse.json({ ok: true })
    }),
  )
  return sent
}

function setup(options: DpopOptions = {}, refresh = vi.fn(async () => ({ accessToken: 'new-token', refreshToken: 'r2' }))) {
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old-token', refreshToken: 'r1' }, diagnose, dpop: dpop({ indexedDB: new IDBFactory(), ...options }) })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { auth, api, refresh }
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url')
const claimsOf = (sent: Sent) => decodeJwt(sent.proof!)

describe('the axios glue with DPoP', () => {
  it('sends a request held during a refresh with a proof for the new token, made when it leaves', async () => {
    const pending = createDeferred<{ accessToken: string; refreshToken: string }>()
    const { api, auth } = setup({}, vi.fn(() => pending.promise))
    const sent = recordRequests()
    const refreshing = auth.refresh()
    const held = api.get('/held')
    expect(auth.status).toBe('refreshing')
    await Promise.resolve()
    expect(sent).toHaveLength(0)
    pending.resolve({ accessToken: 'new-token', refreshToken: 'r2' })
    await Promise.all([refreshing, held])
    expect(sent).toEqual([{ url: `${API}/held`, authorization: 'DPoP new-token', proof: expect.any(String) }])
    expect(claimsOf(sent[0]!)).toMatchObject({ htm: 'GET', htu: `${API}/held`, ath: ath('new-token') })
  })

  it('sends no token and no proof to an origin that is not allowed, nor with skipAuth', async () => {
    const { api } = setup()
    const sent = recordRequests()
    await api.get(`${OTHER}/x`)
    await api.get('/public', { skipAuth: true })
    expect(sent.map(({ authorization, proof }) => [authorization, proof])).toEqual([
      [null, null],
      [null, null],
    ])
  })

  it('uses a nonce that a successful response brought in the next proof to that origin', async () => {
    const { api } = setup()
    const sent = recordRequests((_, index) => (index === 0 ? HttpResponse.json({}, { headers: { 'DPoP-Nonce': 'fresh-nonce' } }) : undefined))
    await api.get('/first')
    await api.get('/second')
    expect(claimsOf(sent[0]!)).not.toHaveProperty('nonce')
    expect(claimsOf(sent[1]!)).toMatchObject({ nonce: 'fresh-nonce' })
  })

  it('gives a replay after a refresh its own proof, for the new token', async () => {
    const { api, refresh } = setup()
    const sent = recordRequests((request) => (request.headers.get('authorization') === 'DPoP old-token' ? new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' } }) : undefined))
    await api.post('/orders', { item: 1 })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(sent.map((entry) => claimsOf(entry).ath)).toEqual([ath('old-token'), ath('new-token')])
    expect(claimsOf(sent[0]!).jti).not.toBe(claimsOf(sent[1]!).jti)
  })

  it('rejects a request whose proof cannot be made, typed, without sending it', async () => {
    const { api } = setup({ proof: () => Promise.reject(new Error('signer offline')) })
    const sent = recordRequests()
    await expect(api.get('/me')).rejects.toMatchObject({ code: 'dpop-proof-failed', cause: { message: 'signer offline' } })
    expect(sent).toHaveLength(0)
  })

  it('keeps a scheme the app chose', async () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: 'tok' }, scheme: 'Bearer', dpop: dpop({ indexedDB: new IDBFactory() }) })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const sent = recordRequests()
    await api.get('/me')
    expect(sent[0]).toMatchObject({ authorization: 'Bearer tok', proof: expect.any(String) })
  })

  it('diagnoses a nonce challenge as dpop-nonce, not as a refused token', async () => {
    const { api, auth } = setup()
    recordRequests((_, index) => (index === 0 ? new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n1' } }) : undefined))
    const diagnoses: string[] = []
    auth.on('diagnosis', (diagnosis) => diagnoses.push(diagnosis.code))
    await api.get('/me')
    expect(diagnoses).toEqual(['dpop-nonce'])
  })

  it('drops the proof with the token on a redirect to an origin that is not allowed', async () => {
    const { api } = setup()
    const sent = recordRequests((request) => (request.url.startsWith(API) ? new HttpResponse(null, { status: 302, headers: { Location: `${OTHER}/file` } }) : undefined))
    await api.get('/moved')
    expect(sent.map(({ url, authorization, proof }) => [url, authorization, proof !== null])).toEqual([
      [`${API}/moved`, 'DPoP old-token', true],
      [`${OTHER}/file`, null, false],
    ])
  })
})
