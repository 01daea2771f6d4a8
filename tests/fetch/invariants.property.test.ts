import { createAuthFetch, createAuthSession, isReauthError, LoginRequiredError } from 'axios-reauth/fetch'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'

/*
 * The invariants of the auth fetch under orderings fast-check picks: when each request starts,
 * when each response arrives and when the refresh answers are scheduled tasks.
 *   1. every request promise settles;
 *   2. at most one refresh runs at a time, and one expiry episode costs at most one refresh;
 *   3. no request is sent more than twice, and a replay carries the fresh token;
 *   4. no token reaches another origin;
 *   5. every rejection is a typed error; a refused refresh ends the session for everyone, once.
 */

const FOREIGN = 'https://other.test'

interface Plan {
  foreign: boolean
  withBody: boolean
}

const plans = fc.array(fc.record({ foreign: fc.boolean(), withBody: fc.boolean() }), { minLength: 1, maxLength: 8 })

describe('auth fetch invariants', () => {
  it('keeps its invariants under any order of starts, responses and the refresh answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plans, fc.boolean(), async (s, requests: Plan[], refreshRefused) => {
        const sends = new Map<string, Array<string | null>>()
        const foreignTokens: string[] = []
        let inFlight = 0
        let mostInFlight = 0
        let refreshCalls = 0
        let loginRequired = 0

        const fetchStub = async (input: RequestInfo | URL) => {
          const request = input instanceof Request ? input : new Request(input)
          const authorization = request.headers.get('authorization')
          if (request.url.startsWith(FOREIGN)) {
            if (authorization) foreignTokens.push(authorization)
          } else {
            const id = request.headers.get('x-id')!
            sends.set(id, [...(sends.get(id) ?? []), authorization])
          }
          const status = authorization === 'Bearer fresh' || request.url.startsWith(FOREIGN) ? 200 : 401
          return s.schedule(Promise.resolve(new Response(null, { status })), `${status} for ${request.url}`)
        }
        const auth = createAuthSession({
          tokens: { accessToken: 'stale', refreshToken: 'r1' },
          onLoginRequired: () => void loginRequired++,
          refresh: async () => {
            refreshCalls++
            mostInFlight = Math.max(mostInFlight, ++inFlight)
            try {
              await s.schedule(Promise.resolve(), 'refresh answers')
              if (refreshRefused) throw Object.assign(new Error('invalid_grant'), { response: { status: 400 } })
              return { accessToken: 'fresh', refreshToken: 'r2' }
            } finally {
              inFlight--
            }
          },
        })
        const authFetch = createAuthFetch(auth, { baseURL: API, fetch: fetchStub })
        const outcomes = requests.map((plan, i) =>
          s
            .schedule(Promise.resolve(), `start ${i}`)
            .then(() => authFetch(`${plan.foreign ? FOREIGN : API}/r/${i}`, { method: plan.withBody ? 'POST' : 'GET', body: plan.withBody ? `body ${i}` : undefined, headers: { 'x-id': String(i) } }))
            .then((response) => ({ status: response.status }), (error: unknown) => ({ error })),
        )
        let settled = 0
        for (const outcome of outcomes) void outcome.then(() => settled++)
        await s.waitIdle()
        const results = await Promise.all(outcomes)

        expect(settled).toBe(requests.length)
        expect(mostInFlight).toBeLessThanOrEqual(1)
        expect(refreshCalls).toBeLessThanOrEqual(1)
        expect(foreignTokens).toEqual([])
        for (const tokens of sends.values()) {
          expect(tokens.length).toBeLessThanOrEqual(2)
          if (tokens.length === 2) expect(tokens[1]).toBe('Bearer fresh')
        }
        requests.forEach((plan, i) => {
          const result = results[i]!
          if (plan.foreign) expect(result).toEqual({ status: 200 })
          else if (refreshRefused) expect((result as { error: unknown }).error).toBeInstanceOf(LoginRequiredError)
          else expect(result).toEqual({ status: 200 })
          if ('error' in result) expect(isReauthError(result.error)).toBe(true)
        })
        expect(loginRequired).toBe(refreshRefused && requests.some((plan) => !plan.foreign) ? 1 : 0)
      }),
      { numRuns: 60 },
    )
  })
})
