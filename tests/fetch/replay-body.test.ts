import { createAuthFetch, isReauthError } from 'axios-reauth/fetch'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'
import { deferredSession, useProtectedApi } from './fetch-api'

const server = useMswServer()

/** An expired token, a refresh that gives 'new', and the API's record of every call. */
function setup() {
  const calls = useProtectedApi(server, new Set(['new']))
  const { auth, pending, refresh } = deferredSession()
  pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
  return { calls, refresh, authFetch: createAuthFetch(auth, { baseURL: API }) }
}

describe('replaying a request with a body', () => {
  it('replays a POST with a JSON body exactly as it was first sent', async () => {
    const { calls, authFetch } = setup()
    const body = JSON.stringify({ item: 'book', quantity: 2 })
    const response = await authFetch(`${API}/orders`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    expect(await response.json()).toEqual({ path: '/orders', body })
    expect(calls.map(({ method, token, contentType, body: sent }) => ({ method, token, contentType, sent }))).toEqual([
      { method: 'POST', token: 'old', contentType: 'application/json', sent: body },
      { method: 'POST', token: 'new', contentType: 'application/json', sent: body },
    ])
  })

  it('replays a URLSearchParams body with its content type', async () => {
    const { calls, authFetch } = setup()
    await authFetch(`${API}/search`, { method: 'POST', body: new URLSearchParams({ q: 'a b', page: '2' }) })
    expect(calls.map((call) => [call.token, call.contentType, call.body])).toEqual([
      ['old', 'application/x-www-form-urlencoded;charset=UTF-8', 'q=a+b&page=2'],
      ['new', 'application/x-www-form-urlencoded;charset=UTF-8', 'q=a+b&page=2'],
    ])
  })

  it('replays a FormData body with its file', async () => {
    const { calls, authFetch } = setup()
    const form = new FormData()
    form.append('title', 'report')
    form.append('file', new Blob(['file content'], { type: 'text/plain' }), 'report.txt')
    const response = await authFetch(`${API}/upload`, { method: 'PUT', body: form })
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(2)
    const [first, replay] = calls
    expect(replay!.token).toBe('new')
    for (const call of [first!, replay!]) {
      expect(call.contentType).toMatch(/^multipart\/form-data; boundary=/)
      expect(call.body).toContain('file content')
      expect(call.body).toContain('filename="report.txt"')
    }
  })

  it('replays a Request given as input, body included', async () => {
    const { calls, authFetch } = setup()
    await authFetch(new Request(`${API}/notes`, { method: 'POST', body: 'note text' }))
    expect(calls.map((call) => [call.token, call.body])).toEqual([
      ['old', 'note text'],
      ['new', 'note text'],
    ])
  })

  it('refreshes for a ReadableStream body, then rejects with body-not-replayable instead of sending it empty', async () => {
    const { calls, refresh, authFetch } = setup()
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed upload'))
        controller.close()
      },
    })
    const error = await authFetch(`${API}/stream`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit).catch((failure: unknown) => failure)
    expect(isReauthError(error) && error.code).toBe('body-not-replayable')
    expect((error as Error).message).toMatch(/^\[axios-reauth\] The request got 401 and was not sent again: its body is a stream/)
    expect((error as Error).cause).toMatchObject({ name: 'FetchResponseError', status: 401 })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.map((call) => [call.token, call.body])).toEqual([['old', 'streamed upload']])
  })
})
