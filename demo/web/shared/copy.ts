import { LEEWAY_SECONDS, REFRESH_TIMEOUT_MS } from './demo'
import { SLOW_REFRESH_MS } from './server-control'

/** Text both pages show, so that they tell the same story. */
export const copy = {
  title: 'axios-reauth',
  subtitle: 'what happens on a 401',
  intro:
    'The built axios-reauth package against a real auth API on this machine: access tokens live 20 s, every refresh rotates the refresh token. ' +
    'Each request is a lane on the timeline. On a 401 the library holds the request, runs one refresh for all of them, then replays each once with the new token.',
  tryThis: 'Try it: Expire the token now, then Fire 20 requests. Then make the next refresh fail, or slow it down and watch requests pile up as held.',
  leeway: `A request sent within ${LEEWAY_SECONDS} s of expiry waits for a refresh first instead of risking a 401.`,
  hang: `The client gives up on a refresh after ${REFRESH_TIMEOUT_MS / 1000} s.`,
  slow: `${SLOW_REFRESH_MS / 1000} s`,
  secondTab:
    'Both tabs share one session through localStorage. The library lets one tab refresh at a time (a Web Lock) and hands the new tokens to every tab, so no tab presents a rotated refresh token, which the server would treat as reuse and revoke.',
  relogin:
    'Login dialog mode: the session is over, yet nothing is lost. Every request of every tab waits; once you sign in, each one is replayed with the new token.',
  reloginElsewhere: 'Signing in again in another tab: this tab holds its requests until then.',
  dialogMode: 'A revoked session asks for a sign-in in a dialog (reauthenticate) instead of the login page, and replays every waiting request after it.',
  login: 'Any user name and password work. The demo API issues a JWT access token and a rotating refresh token.',
} as const

/** Why the login page is shown, by `LoginRequiredReason`. */
export const loginReasons: Readonly<Record<string, string>> = {
  'refresh-rejected': 'The token endpoint rejected the refresh token, so the session ended.',
  'no-refresh-token': 'There was no refresh token to renew the session with.',
  'token-revoked': 'The server revoked the session.',
  'signed-out': 'You signed out.',
}
