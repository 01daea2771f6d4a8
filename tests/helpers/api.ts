import { http, HttpResponse } from 'msw'

export const API = 'https://api.test'

/** The bearer token of a request, or undefined. */
export function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined
}

/**
 * A protected API that accepts exactly the tokens in `valid` (a live set the test changes),
 * answering 401 with a Bearer challenge otherwise, and recording what each call carried.
 */
export function protectedApi(valid: Set<string>) {
  const calls: Array<{ path: string; token: string | undefined }> = []
  const handler = http.all(`${API}/*`, ({ request }) => {
    const token = bearerOf(request)
    calls.push({ path: new URL(request.url).pathname, token })
    if (!token || !valid.has(token)) {
      return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
    }
    return HttpResponse.json({ path: new URL(request.url).pathname })
  })
  return { handler, calls }
}
