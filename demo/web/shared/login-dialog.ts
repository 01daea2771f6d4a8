import type { LoginRequiredReason, ReauthenticateContext, RefreshResult } from 'axios-reauth'

export interface LoginDialogState {
  /** The dialog is showing in this tab. */
  readonly open: boolean
  readonly reason: LoginRequiredReason | undefined
  /** How often it opened on this page: once per revoked session, however many requests wait. */
  readonly opened: number
}

export interface LoginDialog {
  /** The client's `reauthenticate` option: opens the dialog, settles when it closes. */
  readonly reauthenticate: (context: ReauthenticateContext) => Promise<RefreshResult>
  subscribe(listener: () => void): () => void
  getState(): LoginDialogState
  /** Signs in with what the user typed; the tokens end the dialog and the requests replay. */
  submit(username: string, password: string): Promise<void>
  /** The user closed the dialog: the session ends as without one. */
  cancel(): void
}

/** Where the "Login dialog" switch leads: this page with the mode turned on (`?dialog`) or off. */
export function dialogModeHref(isOn: boolean): string {
  return `${isOn ? location.pathname : '?dialog'}${location.hash}`
}

/**
 * The "login dialog" mode's dialog, for both pages: while it is open the library holds every
 * request of every tab; the page only renders it. `signIn` is the app's login call.
 */
export function createLoginDialog(signIn: (username: string, password: string) => Promise<RefreshResult>): LoginDialog {
  const listeners = new Set<() => void>()
  let state: LoginDialogState = { open: false, reason: undefined, opened: 0 }
  let pending: { resolve(tokens: RefreshResult): void; reject(reason: unknown): void } | undefined
  const update = (change: Partial<LoginDialogState>) => {
    state = { ...state, ...change }
    for (const listener of [...listeners]) listener()
  }
  const close = () => {
    pending = undefined
    update({ open: false })
  }

  return {
    reauthenticate: ({ reason, signal }) =>
      new Promise<RefreshResult>((resolve, reject) => {
        pending = { resolve, reject }
        update({ open: true, reason, opened: state.opened + 1 })
        // Tokens came another way, or the wait timed out: the dialog has nothing left to do.
        signal.addEventListener('abort', close, { once: true })
      }),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getState: () => state,
    async submit(username, password) {
      const tokens = await signIn(username, password)
      pending?.resolve(tokens)
      close()
    },
    cancel() {
      pending?.reject(new Error('The user closed the login dialog.'))
      close()
    },
  }
}
