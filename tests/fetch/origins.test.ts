import { createAuthFetch } from 'axios-reauth/fetch'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'
import { deferredSession } from './fetch-api'

const server = useMswServer()
const OTHER = 'https://other.test'

/** Records the Authorization header of every request to `url`, answering with `status`. */
function recording(url: string, status = 200) {
  const seen: Array<string | null> = []
  server.use(http.all(url, ({ request }) => (seen.push(request.headers.get('authorization')), new HttpResponse(null, { status }))))
  return seen
}

describe('where the token goes', () => {
  it('sends the token to the base URL’s origin and to allowedOrigins only', async () => {
    const { auth } = deferredSession()
    const onApi = recording(`${API}/me`)
    const onFiles = recording('https://files.test/f')
    const onOther = recording(`${OTHER}/x`)
    const authFetch = createAuthFetch(auth, { baseURL: API, allowedOrigins: ['https://files.test'] })
    await Promise.all([authFetch(`${API}/me`), authFetch('https://files.test/f'), authFetch(`${OTHER}/x`)])
    expect([onApi, onFiles, onOther]).toEqual([['Bearer old'], ['Bearer old'], [null]])
  })

  it('sends no token anywhere in Node without a baseURL or allowedOrigins', async () => {
    const { auth } = deferredSession()
    const seen = recording(`${API}/me`)
    await createAuthFetch(auth)(`${API}/me`)
    expect(seen).toEqual([null])
  })

  it('leaves the 401 of another origin untouched, without a refresh', async () => {
    const { auth, refresh } = deferredSession()
    recording(`${OTHER}/x`, 401)
    const response = await createAuthFetch(auth, { baseURL: API })(`${OTHER}/x`)
    expect(response.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('never sends the token on a redirect to another origin', async () => {
    const { auth } = deferredSession()
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${OTHER}/landing` } })))
    const seen = recording(`${OTHER}/landing`)
    const response = await createAuthFetch(auth, { baseURL: API })(`${API}/moved`)
    expect(response.redirected).toBe(true)
    expect(seen).toEqual([null])
  })

  it('passes a 401 that a redirect brought from another origin through untouched: no refresh, no sign-out', async () => {
    const { auth, refresh, onLoginRequired } = deferredSession()
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${OTHER}/private` } })))
    recording(`${OTHER}/private`, 401)
    const response = await createAuthFetch(auth, { baseURL: API })(`${API}/moved`)
    expect([response.status, response.url]).toEqual([401, `${OTHER}/private`])
    expect(refresh).not.toHaveBeenCalled()
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.status).toBe('authenticated')
  })

  it('keeps the token on a redirect within the allowed origin, and refreshes for its 401', async () => {
    const { auth, refresh, pending } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${API}/here` } })))
    const seen: Array<string | null> = []
    server.use(http.get(`${API}/here`, ({ request }) => (seen.push(request.headers.get('authorization')), new HttpResponse(null, { status: request.headers.get('authorization') === 'Bearer new' ? 200 : 401 }))))
    expect((await createAuthFetch(auth, { baseURL: API })(`${API}/moved`)).status).toBe(200)
    expect(seen).toEqual(['Bearer old', 'Bearer new'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('hands a redirect back untouched to a request with redirect: manual, following it nowhere', async () => {
    const { auth, refresh } = deferredSession()
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${OTHER}/landing` } })))
    const seen = recording(`${OTHER}/landing`)
    const response = await createAuthFetch(auth, { baseURL: API })(`${API}/moved`, { redirect: 'manual' })
    expect([response.status, response.headers.get('location')]).toEqual([302, `${OTHER}/landing`])
    expect(seen).toEqual([])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('refuses allowedOrigins entries that are not origins with a ConfigurationError', () => {
    const { auth } = deferredSession()
    expect(() => createAuthFetch(auth, { allowedOrigins: ['api.test'] })).toThrow(/allowedOrigins has an entry that is not an absolute origin/)
  })
})
