import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'

/** One request as the resource server judged it. */
export interface Judged {
  readonly path: string
  /** `ok`, or why the request was refused. */
  readonly verdict: string
  readonly token: string | undefined
  readonly jti: string | undefined
}

/** An API that checks each DPoP proof as RFC 9449 §7 says, and demands its nonce. */
export interface ResourceServer {
  readonly url: string
  /** Every request, in order of arrival. */
  readonly judged: Judged[]
  /** From now on this token is refused as expired (`DPoP error="invalid_token"`). */
  expire(token: string): void
  /** The server moves to a new nonce: proofs with the old one get `use_dpop_nonce`. */
  rotateNonce(): void
  close(): Promise<void>
}

const CLOCK_WINDOW_SECONDS = 60

class Refused extends Error {
  constructor(
    readonly verdict: string,
    readonly challenge: string,
  ) {
    super(verdict)
  }
}

/**
 * Starts the API on a random port of 127.0.0.1: it verifies the access token (a JWT of the issuer
 * for this API) and its proof (signature against the header's `jwk`, `typ`, `alg`, `htm`,
 * `htu`, `iat` within a minute, `ath` = hash of the token, `jti` never seen before, `nonce` the
 * current one, and the token's `cnf.jkt` = the key's thumbprint). The first request, having no
 * nonce yet, gets a `DPoP-Nonce` and a `use_dpop_nonce` challenge.
 * @param issuerOf - The authorization server's issuer, asked when the first token arrives (it starts second).
 */
export async function startResourceServer(issuerOf: () => string): Promise<ResourceServer> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined
  const judged: Judged[] = []
  const expired = new Set<string>()
  const seenJti = new Set<string>()
  let nonceCount = 1
  let nonce = `rs-nonce-${nonceCount}`

  const check = async (req: IncomingMessage, token: string | undefined, proof: string | undefined) => {
    if (!token) throw new Refused('no DPoP token', 'DPoP algs="ES256"')
    if (!proof) throw new Refused('no proof', 'DPoP error="invalid_dpop_proof"')
    const header = decodeProtectedHeader(proof)
    if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || !header.jwk) throw new Refused('bad proof header', 'DPoP error="invalid_dpop_proof"')
    const { payload } = await jwtVerify(proof, await importJWK(header.jwk as JWK, 'ES256')).catch(() => {
      throw new Refused('bad proof signature', 'DPoP error="invalid_dpop_proof"')
    })
    const path = (req.url ?? '/').split(/[?#]/, 1)[0]
    if (payload.htm !== req.method || payload.htu !== `${url}${path}`) throw new Refused('proof for another request', 'DPoP error="invalid_dpop_proof"')
    if (Math.abs(Number(payload.iat) - Date.now() / 1000) > CLOCK_WINDOW_SECONDS) throw new Refused('proof too old', 'DPoP error="invalid_dpop_proof"')
    if (payload.ath !== createHash('sha256').update(token).digest('base64url')) throw new Refused('proof for another token', 'DPoP error="invalid_dpop_proof"')
    if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) throw new Refused('proof replayed', 'DPoP error="invalid_dpop_proof"')
    seenJti.add(payload.jti)
    if (payload.nonce !== nonce) throw new Refused('stale nonce', 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"')
    const issuer = issuerOf()
    jwks ??= createRemoteJWKSet(new URL(`${issuer}/jwks`))
    const { payload: claims } = await jwtVerify(token, jwks, { issuer, audience: url }).catch(() => {
      throw new Refused('bad token', 'DPoP error="invalid_token"')
    })
    if ((claims.cnf as { jkt?: string } | undefined)?.jkt !== (await calculateJwkThumbprint(header.jwk as JWK, 'sha256'))) throw new Refused('token bound to another key', 'DPoP error="invalid_token"')
    if (expired.has(token)) throw new Refused('token expired', 'DPoP error="invalid_token", error_description="The access token expired"')
    return payload.jti
  }

  server.on('request', (req, res) => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ')
    const proof = req.headers.dpop as string | undefined
    const path = req.url ?? '/'
    const presented = scheme === 'DPoP' ? token : undefined
    check(req, presented, proof).then(
      (jti) => {
        judged.push({ path, verdict: 'ok', token: presented, jti })
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }))
      },
      (error: unknown) => {
        const refused = error instanceof Refused ? error : new Refused(String(error), 'DPoP error="invalid_token"')
        const jti = proof ? (JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString() || '{}') as { jti?: string }).jti : undefined
        judged.push({ path, verdict: refused.verdict, token: presented, jti })
        res.writeHead(401, { 'www-authenticate': refused.challenge, 'dpop-nonce': nonce }).end()
      },
    )
  })

  return {
    url,
    judged,
    expire: (token) => void expired.add(token),
    rotateNonce: () => {
      nonce = `rs-nonce-${++nonceCount}`
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
