import { Readable } from 'node:stream'
import axios from 'axios'
import { createAuthClient, isReauthError } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

interface Seen {
  method: string
  url: string
  token: string | undefined
  contentType: string | null
  custom: string | null
  body: string
}

/** Answers 401 to the old token and records every attempt, body included. */
function recordAttempts() {
  const seen: Seen[] = []
  server.use(
    http.all(`${API}/*`, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        token: bearerOf(request),
        contentType: request.headers.get('content-type'),
        custom: request.headers.get('x-custom'),
        body: await request.text(),
      })
      return bearerOf(request) === 'new' ? HttpResponse.json({ ok: true }) : new HttpResponse(null, { status: 401 })
    }),
  )
  const auth = createAuthClient({ refresh: async () => ({ accessToken: 'new', refreshToken: 'r2' }), tokens: { accessToken: 'old', refreshToken: 'r1' } })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { api, seen }
}

/** The replay must be the original request, but for the token. */
function expectIdenticalReplay(seen: Seen[]) {
  expect(seen).toHaveLength(2)
  const [first, replay] = seen as [Seen, Seen]
  expect(first.token).toBe('old')
  expect(replay.token).toBe('new')
  expect({ ...replay, token: undefined }).toEqual({ ...first, token: undefined })
}

describe('replays keep the request intact', () => {
  it('keeps method, URL, params, headers and a JSON body', async () => {
    const { api, seen } = recordAttempts()
    await api.put('/items/7', { name: 'ä', tags: [1, 2] }, { params: { q: 'a b', page: 2 }, headers: { 'X-Custom': 'kept' } })
    expectIdenticalReplay(seen)
    expect(seen[1]).toMatchObject({ method: 'PUT', url: `${API}/items/7?q=a+b&page=2`, custom: 'kept', body: '{"name":"ä","tags":[1,2]}' })
  })

  it('keeps a URLSearchParams body', async () => {
    const { api, seen } = recordAttempts()
    await api.post('/form', new URLSearchParams({ a: '1', b: 'two words' }))
    expectIdenticalReplay(seen)
    expect(seen[1]?.body).toBe('a=1&b=two+words')
  })

  it('keeps a FormData body with a file', async () => {
    const { api, seen } = recordAttempts()
    const form = new FormData()
    form.append('field', 'value')
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'notes.txt')
    await api.post('/upload', form)
    expect(seen).toHaveLength(2)
    for (const attempt of seen) {
      expect(attempt.contentType).toMatch(/^multipart\/form-data; boundary=/)
      expect(attempt.body).toContain('name="field"\r\n\r\nvalue')
      expect(attempt.body).toContain('filename="notes.txt"')
      expect(attempt.body).toContain('file content')
    }
  })

  it('keeps a Blob body', async () => {
    const { api, seen } = recordAttempts()
    await api.post('/blob', new Blob(['raw bytes'], { type: 'application/octet-stream' }))
    expectIdenticalReplay(seen)
    expect(seen[1]?.body).toBe('raw bytes')
  })
})

describe('a body that cannot be sent twice', () => {
  it('rejects a Node stream body with body-not-replayable after the refresh, never sending it empty', async () => {
    const { api, seen } = recordAttempts()
    const payload = 'x'.repeat(10_000)
    const error = await api.post('/upload', Readable.from([payload]), { headers: { 'Content-Type': 'application/octet-stream' } }).catch((e: unknown) => e)
    expect(isReauthError(error) && error.code).toBe('body-not-replayable')
    expect((error as Error).message).toMatch(/its body is a stream/)
    expect(seen.map((attempt) => [attempt.token, attempt.body.length])).toEqual([['old', 10_000]])
  })

  it('rejects a web ReadableStream body (fetch adapter) the same way', async () => {
    const { api, seen } = recordAttempts()
    const body = new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode('chunk')), controller.close()) })
    const error = await api.post('/upload', body, { adapter: 'fetch', headers: { 'Content-Type': 'application/octet-stream' } }).catch((e: unknown) => e)
    expect(isReauthError(error) && error.code).toBe('body-not-replayable')
    expect(seen).toHaveLength(1)
  })
})

