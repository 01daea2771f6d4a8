import { useAuth } from 'axios-reauth/react'
import { copy } from '../shared/copy'
import { formatClaim, tail } from '../shared/format'
import { serverCounterRows } from '../shared/server-control'
import { useDemo, useDemoState, useTicker } from './hooks'

/** The access token: countdown to expiry, the `isExpiring` banner and the decoded claims. */
export function TokenPanel() {
  const { claims, expiresAt, isExpiring, client } = useAuth()
  const { demo } = useDemo()
  useTicker(200)
  const left = expiresAt === undefined ? undefined : expiresAt - demo.serverNow()
  const lifetime = claims?.exp !== undefined && claims.iat !== undefined ? (claims.exp - claims.iat) * 1000 : 20_000
  const share = left === undefined ? 0 : Math.max(0, Math.min(1, left / lifetime))
  return (
    <section className="card token-card">
      <h2>
        Access token <code className="muted">{tail(client.getTokens()?.accessToken)}</code>
      </h2>
      <div className={`countdown ${left !== undefined && left <= 0 ? 'is-expired' : isExpiring ? 'is-expiring' : ''}`}>
        <span className="countdown-value" data-testid="countdown">
          {left === undefined ? '—' : left > 0 ? `${(left / 1000).toFixed(1)} s` : 'expired'}
        </span>
        <span className="muted">{left === undefined ? 'no token' : left > 0 ? 'until it expires' : 'the next request refreshes first'}</span>
        <div className="meter" aria-hidden="true">
          <div style={{ width: `${share * 100}%` }} />
        </div>
      </div>
      <p className={`banner ${isExpiring ? 'is-on' : ''}`} data-testid="expiring-banner" aria-live="polite">
        {isExpiring ? `isExpiring: ${copy.leeway}` : 'isExpiring turns on 5 s before expiry.'}
      </p>
      <table className="claims">
        <tbody>
          {Object.entries(claims ?? {}).map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td>{formatClaim(name, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** `lastDiagnosis`: why the latest 401 happened. */
export function DiagnosisPanel() {
  const { lastDiagnosis } = useAuth()
  return (
    <section className="card diagnosis-card">
      <h2>Last 401, diagnosed</h2>
      {lastDiagnosis ? (
        <div data-testid="diagnosis">
          <p>
            <code className="code-chip">{lastDiagnosis.code}</code> {lastDiagnosis.message}
          </p>
          <p className="muted">{lastDiagnosis.hint}</p>
        </div>
      ) : (
        <p className="muted">No 401 yet. Expire the token, then send a request.</p>
      )}
    </section>
  )
}

/** The auth API's own counters: what really reached the server. */
export function ServerPanel() {
  const { server } = useDemoState()
  const rows = serverCounterRows(server)
  return (
    <section className="card server-card">
      <h2>At the server, from this page</h2>
      <dl className="server-counts">
        {rows.map(([label, value, testId]) => (
          <div key={testId}>
            <dt>{label}</dt>
            <dd data-testid={testId}>{value ?? '…'}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
