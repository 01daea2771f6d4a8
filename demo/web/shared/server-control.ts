/** The demo auth API's levers, each a button on the page. */
export type Lever = 'expire' | 'fail-invalid-grant' | 'fail-server-error' | 'hang' | 'slow' | 'revoke' | 'reset'

/** The header that names a page load's visitor id, so the server counts its requests apart. */
export const VISITOR_HEADER = 'x-demo-visitor'

/** A visitor's counters, as `GET /control/stats/<visitor>` gives them. */
export interface ServerCounters {
  readonly logins: number
  readonly refreshCalls: number
  readonly refreshSuccesses: number
  readonly spentRefreshPresented: number
  readonly apiRequests: number
  readonly apiSuccesses: number
  readonly api401: number
}

/** The server counters as the page lists them: label, value (undefined until loaded), test id. */
export function serverCounterRows(server: ServerCounters | undefined) {
  return [
    ['refresh calls', server?.refreshCalls, 'server-refresh-calls'],
    ['refreshes OK', server?.refreshSuccesses, 'server-refresh-successes'],
    ['API 401s', server?.api401, 'server-401'],
    ['API successes', server?.apiSuccesses, 'server-successes'],
    ['refresh tokens reused', server?.spentRefreshPresented, 'server-reuse'],
    ['logins', server?.logins, 'server-logins'],
  ] as const
}

export interface LeverOutcome {
  /** What happened, for the note under the buttons. */
  readonly note: string
  /** What the next refresh will now do, when the lever queued something. */
  readonly armed?: string
}

/** The slow lever's delay. */
export const SLOW_REFRESH_MS = 3000

export interface ServerControl {
  /** Pulls a lever; `slowRefresh` is the current state the `slow` lever toggles. */
  pull(lever: Lever, slowRefresh: boolean): Promise<LeverOutcome>
  counters(): Promise<ServerCounters>
}

/** Talks to `POST /control/<name>` and `GET /control/stats/<visitor>` with plain fetch, off the timeline. */
export function createServerControl(baseURL: string, visitor: string): ServerControl {
  const post = async (name: string, body: object = {}) => {
    const response = await fetch(`${baseURL}/control/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`POST /control/${name} answered ${response.status}`)
  }

  return {
    async pull(lever, slowRefresh) {
      switch (lever) {
        case 'expire':
          await post('expireAccessTokens')
          return { note: "The server's clock jumped past the token's expiry: every access token issued so far has expired. The client does not know yet: its next requests get 401s, whose Date header tells it the server's time." }
        case 'fail-invalid-grant':
          await post('failNextRefresh', { kind: 'invalid_grant' })
          return { note: 'The next refresh gets 400 invalid_grant: a fatal failure, so the session ends and onLoginRequired is called once.', armed: 'fails with invalid_grant' }
        case 'fail-server-error':
          await post('failNextRefresh', { kind: 'server_error' })
          return { note: 'The next refresh gets a 500: a transient failure. The session is kept, but requests waiting on that refresh fail.', armed: 'fails with a 500' }
        case 'hang':
          await post('failNextRefresh', { kind: 'hang' })
          return { note: 'The next refresh never answers: the client gives up after its refresh timeout, a transient failure.', armed: 'hangs' }
        case 'slow':
          await post('setRefreshDelay', { ms: slowRefresh ? 0 : SLOW_REFRESH_MS })
          return { note: slowRefresh ? 'Refreshes answer at once again.' : `Every refresh now takes ${SLOW_REFRESH_MS / 1000} s: requests pile up as held.` }
        case 'revoke':
          await post('revokeAll')
          return { note: 'The session is revoked on the server: its access token is refused and its refresh token gets invalid_grant.' }
        case 'reset':
          await post('reset')
          return { note: 'Server counters cleared, queued failures and the delay dropped. Tokens are untouched.' }
      }
    },
    async counters() {
      const response = await fetch(`${baseURL}/control/stats/${encodeURIComponent(visitor)}`)
      if (!response.ok) throw new Error(`GET /control/stats/${visitor} answered ${response.status}`)
      const stats = (await response.json()) as ServerCounters
      const { logins, refreshCalls, refreshSuccesses, spentRefreshPresented, apiRequests, apiSuccesses, api401 } = stats
      return { logins, refreshCalls, refreshSuccesses, spentRefreshPresented, apiRequests, apiSuccesses, api401 }
    },
  }
}
