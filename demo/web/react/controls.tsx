import { useState } from 'react'
import { copy } from '../shared/copy'
import { dialogModeHref } from '../shared/login-dialog'
import type { Lever } from '../shared/server-control'
import { useDemo, useDemoState } from './hooks'

/** The buttons: requests, the server's levers, a second tab. */
export function Controls() {
  const { demo } = useDemo()
  const { note, armed, slowRefresh } = useDemoState()
  const [problem, setProblem] = useState<string>()
  const run = (action: () => Promise<void>) => () => {
    setProblem(undefined)
    action().catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)))
  }
  const pull = (lever: Lever) => run(() => demo.pull(lever))
  return (
    <section className="card controls">
      <div className="control-group">
        <h3>Requests</h3>
        <button className="primary" data-testid="fire-20" onClick={run(() => demo.fire(20))}>Fire 20 requests</button>
        <button data-testid="fire-1" onClick={run(() => demo.fire(1))}>Send 1</button>
      </div>
      <div className="control-group">
        <h3>Session</h3>
        <button className="lever-expire" data-testid="expire-token" onClick={pull('expire')}>Expire the token now</button>
        <button className="lever-danger" data-testid="revoke" onClick={pull('revoke')}>Revoke the session</button>
      </div>
      <div className="control-group">
        <h3>Next refresh</h3>
        <button className="lever-danger" data-testid="fail-invalid-grant" onClick={pull('fail-invalid-grant')}>fails: invalid_grant</button>
        <button data-testid="fail-server-error" onClick={pull('fail-server-error')}>fails: 500</button>
        <button data-testid="hang" onClick={pull('hang')} title={copy.hang}>hangs</button>
        <button data-testid="slow" aria-pressed={slowRefresh} onClick={pull('slow')}>slow ({copy.slow}): {slowRefresh ? 'on' : 'off'}</button>
      </div>
      <div className="control-group">
        <h3>More</h3>
        <button data-testid="second-tab" onClick={() => window.open(location.href, '_blank')} title={copy.secondTab}>Open a second tab</button>
        <button data-testid="reset" onClick={pull('reset')}>Reset server</button>
        <a className="button" data-testid="dialog-mode" href={dialogModeHref(demo.loginDialog !== undefined)} title={copy.dialogMode}>
          Login dialog: {demo.loginDialog ? 'on' : 'off'}
        </a>
      </div>
      <p className="note" data-testid="note" aria-live="polite">
        {armed.length > 0 && <span className="armed">next refresh {armed.join(', then ')}</span>}
        {problem ? <span className="problem">{problem}</span> : note || copy.tryThis}
      </p>
    </section>
  )
}
