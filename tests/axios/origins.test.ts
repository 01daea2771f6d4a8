import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

function recordTokens(...origins: string[]) {
  const seen: Record<string, Array<string | undefined>> = {}
  server.use(
    ...origins.map((origin) =>
      http.get(`${origin}/*`, ({ request }) => {
        ;(seen[origin] ??= []).push(bearerOf(request))
        return HttpResponse.json({})
      }),
    ),
  )
  return seen
}

const client = (options: Parameters<typeof createAuthClient>[0]['allowedOrigins'] = []) => {
  const refresh = vi.fn(async () => ({ accessToken: 'new', refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'secret', refreshToken: 'r1' }, allowedOrigins: options })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { api, auth, refresh }
}

describe('allowed origins', () => {
  it("sends the token to the instance's baseURL origin", async () => {
    const seen = recordTokens(API)
    await client().api.get('/me')
    expect(seen[API]).toEqual(['secret'])
  })

  it('never sends the token to another origin given as an absolute URL', async () => {
    const seen = recordTokens('https://evil.test')
    await client().api.get('https://evil.test/steal')
    expect(seen['https://evil.test']).toEqual([undefined])
  })

  it('treats a different port or scheme as another origin', async () => {
    const seen = recordTokens('https://api.test:8443', 'http://api.test')
    const { api } = client()
    await api.get('https://api.test:8443/x')
    await api.get('http://api.test/x')
    expect(seen).toEqual({ 'https://api.test:8443': [undefined], 'http://api.test': [undefined] })
  })

  it('never sends the token to a per-request baseURL on another origin', async () => {
    const seen = recordTokens('https://other.test')
    await client().api.get('/x', { baseURL: 'https://other.test' })
    expect(seen['https://other.test']).toEqual([undefined])
  })

  it('sends the token to origins listed in allowedOrigins, as strings or RegExps', async () => {
    const seen = recordTokens('https://files.test', 'https://eu.cdn.test')
    const { api } = client(['https://files.test/ignored-path', /^https:\/\/[a-z]+\.cdn\.test$/])
    await api.get('https://files.test/a')
    await api.get('https://eu.cdn.test/b')
    expect(seen).toEqual({ 'https://files.test': ['secret'], 'https://eu.cdn.test': ['secret'] })
  })

  it('does not refresh on a 401 from a foreign origin and passes the error through', async () => {
    server.use(http.get('https://evil.test/*', () => new HttpResponse(null, { status: 401 })))
    const { api, refresh } = client()
    const error = await api.get('https://evil.test/x').catch((e: unknown) => e)
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects an allowedOrigins entry that is not an origin, naming the fix', () => {
    expect(() => client(['api.test'])).toThrow(/allowedOrigins has an entry that is not an absolute origin \("api.test"\)/)
  })

  it('sends relative URLs to the page origin in a browser', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/page' })
    const sent: unknown[] = []
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: 'secret' } })
    const api = axios.create({
      adapter: async (config) => {
        sent.push(config.headers.Authorization)
        return { data: {}, status: 200, statusText: 'OK', headers: {}, config }
      },
    })
    auth.attach(api)
    await api.get('/me')
    await api.get('https://elsewhere.test/me')
    expect(sent).toEqual(['Bearer secret', undefined])
  })
})

describe('URLs decided the way the browser resolves them', () => {
  const PAGE = 'https://app.test'
  // Each of these is written without a scheme, yet the WHATWG URL parser a browser uses resolves
  // it against the page to another origin: a backslash counts as a slash, tabs and newlines are
  // removed, leading spaces are trimmed.
  const hostile = ['/\\evil.test/x', '\\\\evil.test/x', '\\/evil.test/x', '/\t/evil.test/x', '/\n/evil.test/x', ' //evil.test/x', '\t//evil.test/x', '//evil.test/x']

  function pageClient(instanceConfig: { baseURL?: string; allowAbsoluteUrls?: boolean } = {}) {
    vi.stubGlobal('location', { origin: PAGE, href: `${PAGE}/app/page` })
    const sent: Array<{ url: string; authorization: unknown }> = []
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: 'secret' } })
    const api = axios.create({
      ...instanceConfig,
      adapter: async (config) => {
        sent.push({ url: new URL(api.getUri(config), `${PAGE}/app/page`).href, authorization: config.headers.Authorization })
        return { data: {}, status: 200, statusText: 'OK', headers: {}, config }
      },
    })
    auth.attach(api)
    return { api, sent }
  }

  it.each(hostile)('never sends the token to %j, which the browser resolves to another origin (no baseURL)', async (url) => {
    const { api, sent } = pageClient()
    await api.get(url)
    expect(new URL(sent[0]!.url).origin).toBe('https://evil.test')
    expect(sent[0]!.authorization).toBeUndefined()
  })

  it.each(['\\/evil.test/x', '/\t/evil.test/x', '/\n/evil.test/x', '\\evil.test/x'])("never sends the token to %j joined to baseURL '/', which the browser resolves to another origin", async (url) => {
    const { api, sent } = pageClient({ baseURL: '/' })
    await api.get(url)
    expect(new URL(sent[0]!.url).origin).toBe('https://evil.test')
    expect(sent[0]!.authorization).toBeUndefined()
  })

  it('sends the token to paths that stay on the page, however they are written', async () => {
    const { api, sent } = pageClient({ baseURL: '/api' })
    await api.get('/me')
    await api.get('me?x=//evil.test')
    await api.get('./a/../b')
    expect(sent.map((request) => request.authorization)).toEqual(['Bearer secret', 'Bearer secret', 'Bearer secret'])
  })

  it('judges an absolute URL by the baseURL it is joined to when allowAbsoluteUrls is false', async () => {
    const { api, sent } = pageClient()
    await api.get(`${PAGE}/me`, { baseURL: 'https://evil.test', allowAbsoluteUrls: false })
    expect(new URL(sent[0]!.url).origin).toBe('https://evil.test')
    expect(sent[0]!.authorization).toBeUndefined()
  })

  it('refuses a URL that starts like an allowed origin but names another host (userinfo, a longer host name)', async () => {
    const { api, sent } = pageClient()
    await api.get(`${PAGE}@evil.test/x`)
    await api.get(`${PAGE}.evil.test/x`)
    await api.get(`${PAGE}\\@still-the-page/x`)
    expect(sent.map((request) => [new URL(request.url).origin, request.authorization])).toEqual([
      ['https://evil.test', undefined],
      ['https://app.test.evil.test', undefined],
      [PAGE, 'Bearer secret'],
    ])
  })

  it('refuses a relative URL in Node, where it has no origin to go to', async () => {
    const sent: unknown[] = []
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: 'secret' } })
    const api = axios.create({ adapter: async (config) => (sent.push(config.headers.Authorization), { data: {}, status: 200, statusText: 'OK', headers: {}, config }) })
    auth.attach(api)
    await api.get('/me')
    expect(sent).toEqual([undefined])
  })
})
