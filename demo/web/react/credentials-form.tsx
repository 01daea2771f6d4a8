import { useState, type FormEvent, type ReactNode } from 'react'

interface CredentialsFormProps {
  readonly title: string
  /** Signs in with what was typed; a rejection shows under the form. */
  readonly signIn: (username: string, password: string) => Promise<void>
  readonly submitTestId: string
  /** What the form says above its fields. */
  readonly children?: ReactNode
  /** More buttons beside Sign in (the dialog's Close). */
  readonly buttons?: ReactNode
  readonly className?: string
  readonly testId?: string
  readonly dialog?: boolean
}

/** The user name and password form of the login page and of the sign-in-again dialog. */
export function CredentialsForm({ title, signIn, submitTestId, children, buttons, className = 'card login-card', testId, dialog }: CredentialsFormProps) {
  const [username, setUsername] = useState('ada')
  const [password, setPassword] = useState('demo')
  const [problem, setProblem] = useState<string>()
  const [pending, setPending] = useState(false)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setProblem(undefined)
    signIn(username, password).catch((error: unknown) => {
      setProblem(error instanceof Error ? error.message : String(error))
      setPending(false)
    })
  }

  return (
    <form className={className} onSubmit={submit} data-testid={testId} {...(dialog ? { role: 'dialog', 'aria-modal': true, 'aria-label': title } : {})}>
      <h2>{title}</h2>
      {children}
      <label>
        User name
        <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" />
      </label>
      <label>
        Password
        <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="current-password" />
      </label>
      <div className="dialog-buttons">
        <button className="primary" type="submit" data-testid={submitTestId} disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        {buttons}
      </div>
      {problem && <p className="problem">{problem}</p>}
    </form>
  )
}
