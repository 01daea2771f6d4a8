import { ConfigurationError, ReauthError, type DpopProofFactory } from 'axios-reauth'
import { publicJwkOf, thumbprintOf, type PublicJwk } from './key-pair'
import { createKeyStore } from './key-store'
import { createNonceStore } from './nonce-store'
import { isFailedResponse, nonceOf } from './nonce-of'
import { buildProof } from './proof-jwt'

/** What an app's own signer is asked for, in {@link DpopOptions.proof}. */
export interface DpopProofRequest {
  /** The HTTP method, upper case (`htm`). */
  method: string
  /** The absolute URL; `htu` is it without query and fragment. */
  url: string
  /** The nonce to put in the proof, when the server sent one. */
  nonce: string | undefined
  /** The access token the request carries (for `ath`); `undefined` for a token request. */
  accessToken: string | undefined
}

/** Options of {@link dpop}. */
export interface DpopOptions {
  /**
   * The key's name in IndexedDB: one key pair per name. Give each client of a page its own.
   * @default 'axios-reauth'
   */
  name?: string
  /** The IndexedDB the key is kept in. Without one, the key lives in memory only. @default globalThis.indexedDB */
  indexedDB?: IDBFactory
  /**
   * Your own signer, instead of the WebCrypto key (a hardware-backed key, a native bridge):
   * return the compact proof JWT for the request. The nonces are still kept for you.
   */
  proof?: (request: DpopProofRequest) => string | Promise<string>
  /** The time for `iat`, in epoch milliseconds. @default Date.now */
  now?: () => number
}

/** The `DPoP` header of one request (a type, not an interface, so that it fits axios's and fetch's header records). */
export type DpopHeaders = { DPoP: string }

/**
 * DPoP (RFC 9449) for one client: pass it as `createAuthClient({ dpop })`, and use it in your
 * `refresh` for the token endpoint's own proof.
 */
export interface Dpop extends DpopProofFactory {
  /** A fresh proof for one request, with the nonce last sent by the URL's origin. */
  proof(request: { method: string; url: string; accessToken?: string }): Promise<string>
  /** Remembers a server's `DPoP-Nonce` for the origin of `url`. */
  rememberNonce(url: string, nonce: string): void
  /** The `DPoP` header for one request: `{ DPoP: proof }`, to spread into your headers. */
  headersFor(method: string, url: string, accessToken?: string): Promise<DpopHeaders>
  /**
   * Runs a token-endpoint call with a proof; when it fails (throws, or resolves a fetch
   * `Response` that is not ok) with a `DPoP-Nonce` it had not been given, runs it once more
   * with a proof carrying that nonce (RFC 9449 §8: `use_dpop_nonce`).
   */
  withProof<T>(method: string, url: string, call: (headers: DpopHeaders) => Promise<T>): Promise<T>
  /**
   * The key's JWK thumbprint (RFC 7638), e.g. for the `dpop_jkt` authorization parameter.
   * @throws ConfigurationError `invalid-option` with `dpop({ proof })`, whose key is the app's.
   */
  thumbprint(): Promise<string>
}

function checkOptions(options: unknown): DpopOptions {
  if (options === undefined) return {}
  const refuse = (why: string) => new ConfigurationError('invalid-option', `dpop() refused its options: ${why}.`)
  if (typeof options !== 'object' || options === null) throw refuse("they must be an object. Pass e.g. dpop({ name: 'my-app' }), or nothing")
  const { name, indexedDB, proof, now } = options as Record<string, unknown>
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw refuse("name must be a non-empty string. Pass e.g. dpop({ name: 'my-app' })")
  if (indexedDB !== undefined && typeof (indexedDB as { open?: unknown } | null)?.open !== 'function') throw refuse('indexedDB must be an IDBFactory. Pass window.indexedDB, or leave it out')
  if (proof !== undefined && typeof proof !== 'function') throw refuse('proof must be a function. Pass dpop({ proof: ({ method, url, nonce, accessToken }) => signedJwt }), or leave it out')
  if (now !== undefined && typeof now !== 'function') throw refuse('now must be a function. Pass dpop({ now: () => Date.now() }), or leave it out')
  return options as DpopOptions
}

/**
 * Creates DPoP for a client: every request that carries the access token goes as
 * `Authorization: DPoP <token>` with a fresh proof, signed at send time (held requests and
 * replays included); each origin's `DPoP-Nonce` is remembered for its next proof. The key pair
 * is ES256, made with WebCrypto, non-extractable, and kept in IndexedDB across reloads (one per
 * `name`), unless you pass your own `proof`.
 *
 * Import it from `axios-reauth/dpop`: an app without DPoP never loads this code.
 *
 * @param options - `name`, `indexedDB`, `proof`, `now`; all optional.
 * @returns What `createAuthClient({ dpop })` takes, with helpers for your `refresh`.
 * @throws ConfigurationError `invalid-option` for options of the wrong type.
 * @example
 * ```ts
 * import { dpop } from 'axios-reauth/dpop'
 *
 * const proofs = dpop({ name: 'my-app' })
 * const auth = createAuthClient({
 *   dpop: proofs,
 *   refresh: ({ refreshToken, signal }) =>
 *     proofs.withProof('POST', TOKEN_URL, async (headers) => {
 *       const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, client_id: 'app' })
 *       const { data } = await axios.post(TOKEN_URL, body, { headers, signal })
 *       return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
 *     }),
 * })
 * ```
 */
export function dpop(options?: DpopOptions): Dpop {
  const { name = 'axios-reauth', indexedDB, proof: ownProof, now = Date.now } = checkOptions(options)
  const nonces = createNonceStore()
  const keys = createKeyStore(name, indexedDB ?? globalThis.indexedDB)
  let publicKey: Promise<{ keyPair: CryptoKeyPair; jwk: PublicJwk }> | undefined

  const key = () => {
    if (!publicKey) {
      publicKey = keys.load().then(async (keyPair) => ({ keyPair, jwk: await publicJwkOf(keyPair) }))
      // A failure (no WebCrypto) is not kept: the next proof tries again.
      publicKey.catch(() => (publicKey = undefined))
    }
    return publicKey
  }

  const proof: Dpop['proof'] = async ({ method, url, accessToken }) => {
    const request = { method: method.toUpperCase(), url, nonce: nonces.get(url), accessToken }
    if (!ownProof) {
      const { keyPair, jwk } = await key()
      return buildProof(keyPair, jwk, { ...request, issuedAt: Math.floor(now() / 1000) })
    }
    try {
      return await ownProof(request)
    } catch (error) {
      throw new ReauthError('dpop-proof-failed', 'DPoP proof failed: your dpop({ proof }) function threw, so the request was not sent. Fix the signer (see cause).', { cause: error })
    }
  }

  const headersFor: Dpop['headersFor'] = async (method, url, accessToken) => ({ DPoP: await proof({ method, url, accessToken }) })

  const learn = (url: string, answer: unknown) => {
    const nonce = nonceOf(answer)
    if (nonce !== undefined) nonces.set(url, nonce)
    return nonce
  }

  return {
    proof,
    rememberNonce: (url, nonce) => nonces.set(url, nonce),
    headersFor,
    async withProof(method, url, call) {
      const used = nonces.get(url)
      const isNew = (nonce: string | undefined) => nonce !== undefined && nonce !== used
      const send = async () => call(await headersFor(method, url))
      try {
        const answer = await send()
        if (!isNew(learn(url, answer)) || !isFailedResponse(answer)) return answer
      } catch (error) {
        if (!isNew(learn(url, error))) throw error
      }
      // Asked for a nonce: once more, with it. Whatever this answers is the answer.
      try {
        const answer = await send()
        learn(url, answer)
        return answer
      } catch (error) {
        learn(url, error)
        throw error
      }
    },
    async thumbprint() {
      if (ownProof) throw new ConfigurationError('invalid-option', "thumbprint() has no key to name: dpop({ proof }) signs with a key of yours. Compute the thumbprint (RFC 7638) of your key's public JWK instead.")
      return thumbprintOf((await key()).jwk)
    },
  }
}
