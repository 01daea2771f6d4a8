import { useAuth } from 'axios-reauth/react'
import { useState, useSyncExternalStore, type FormEvent } from 'react'
import { copy, loginReasons } from '../shared/copy'
import type { LoginDialog as Dialog } from '../shared/login-dialog'
import { useDemo } from './hooks'

const closed = { open: false, reason: undefined, opened: 0 }
const noSubscription = () => () => {}

/**
 * The "login dialog" mode: the session is over, yet the page stays; every request waits behind
 * this dialog. Another tab's dialog shows here as a banner: one dialog across the tabs.
 */
export function LoginDialog() {
  const { loginDialog } = useDemo().demo
  const { status } = useAuth()
  const { open, reason } = useSyncExternalStore(loginDialog?.subscribe ?? noSubscription, loginDialog?.getState ?? (() => closed))
  if (!loginDialog) return null
  if (open) return <DialogForm dialog={loginDialog} reason={reason} />
  if (status !== 'reauthenticating') return null
  return (
    <p className="relogin-elsewhere" data-testid="relogin-elsewhere">
      {copy.reloginElsewhere}
    </p>
  )
}

function DialogForm({ dialog, reason }: { dialog: Dialog; reason: string | undefined }) {
  const [username, setUsername] = useState('ada')
  const [password, setPassword] = useState('demo')
  const [problem, setProblem] = useState<string>()
  const [pending, setPending] = useState(false)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setProblem(undefined)
    dialog.submit(username, password).catch((error: unknown) => {
      setProblem(error instanceof Error ? error.message : String(error))
      setPending(false)
    })
  }
  return (
    <div className="dialog-backdrop">
      <form className="card login-card dialog" role="dialog" aria-modal="true" aria-labelledby="relogin-title" data-testid="relogin-dialog" onSubmit={submit}>
        <h2 id="relogin-title">Sign in again</h2>
        {reason && <p className="reason">{loginReasons[reason] ?? reason}</p>}
        <p className="muted">{copy.relogin}</p>
        <label>
          User name
          <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="current-password" />
        </label>
        <div className="dialog-buttons">
          <button className="primary" type="submit" data-testid="relogin-submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="button" data-testid="relogin-cancel" onClick={() => dialog.cancel()}>
            Close
          </button>
        </div>
        {problem && <p className="problem">{problem}</p>}
      </form>
    </div>
  )
}
