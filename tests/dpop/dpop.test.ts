import { IDBFactory } from 'fake-indexeddb'
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'
import { createHash } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { ConfigurationError } from 'axios-reauth'
import { createKeyStore, dpop } from 'axios-reauth/dpop'

const URL_WITH_QUERY = 'https://api.example.com/orders/7?access_token=secret#top'

/** Verifies a proof against the key in its own header, as a resource server does first. */
async function verified(proof: string) {
  const header = decodeProtectedHeader(proof)
  const { payload } = await jwtVerify(proof, await importJWK(header.jwk as JWK, 'ES256'), { typ: 'dpop+jwt', algorithms: ['ES256'] })
  return { header, payload }
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url')

describe('a proof', () => {
  it('is an ES256 dpop+jwt signed by the public key in its header, with the claims of RFC 9449', async () => {
    const proofs = dpop({ indexedDB: new IDBFactory(), now: () => 1_700_000_000_500 })
    const { header, payload } = await verified(await proofs.proof({ method: 'post', url: URL_WITH_QUERY, accessToken: 'access-1234' }))
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } })
    expect(Object.keys(header.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(payload).toEqual({ jti: expect.stringMatching(/^[\w-]{22}$/), htm: 'POST', htu: 'https://api.example.com/orders/7', iat: 1_700_000_000, ath: hashOf('access-1234') })
  })

  it('gets a new jti each time', async () => {
    const proofs = dpop({ indexedDB: new IDBFactory() })
    const request = { method: 'GET', url: URL_WITH_QUERY, accessToken: 't' }
    const [a, b] = await Promise.all([proofs.proof(request), proofs.proof(request)])
    expect((await verified(a)).payload.jti).not.toBe((await verified(b)).payload.jti)
  })

  it('has no ath for a token request, which carries no access token', async () => {
    const { payload } = await verified((await dpop({ indexedDB: new IDBFactory() }).headersFor('POST', 'https://id.example.com/token')).DPoP)
    expect(payload).not.toHaveProperty('ath')
  })

  it('carries the nonce its origin sent last, and no other origin’s', async () => {
    const proofs = dpop({ indexedDB: new IDBFactory() })
    proofs.rememberNonce('https://api.example.com/a', 'n1')
    proofs.rememberNonce('https://api.example.com/b', 'n2')
    expect((await verified(await proofs.proof({ method: 'GET', url: 'https://api.example.com/c' }))).payload.nonce).toBe('n2')
    expect((await verified(await proofs.proof({ method: 'GET', url: 'https://id.example.com/token' }))).payload).not.toHaveProperty('nonce')
  })

  it('names the thumbprint of its key', async () => {
    const proofs = dpop({ indexedDB: new IDBFactory() })
    const { header } = await verified(await proofs.proof({ method: 'GET', url: URL_WITH_QUERY }))
    expect(await proofs.thumbprint()).toBe(await calculateJwkThumbprint(header.jwk as JWK, 'sha256'))
  })
})

describe('the key', () => {
  it('is non-extractable', async () => {
    const { privateKey } = await createKeyStore('app', new IDBFactory()).load()
    expect(privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow()
  })

  it('survives a reload: a second client on the same IndexedDB signs with the same key', async () => {
    const indexedDB = new IDBFactory()
    const before = await dpop({ name: 'app', indexedDB }).thumbprint()
    expect(await dpop({ name: 'app', indexedDB }).thumbprint()).toBe(before)
    expect(await dpop({ name: 'other', indexedDB }).thumbprint()).not.toBe(before)
  })

  it('is one key when two tabs create it at the same moment', async () => {
    const indexedDB = new IDBFactory()
    const [a, b] = await Promise.all([dpop({ indexedDB }).thumbprint(), dpop({ indexedDB }).thumbprint()])
    expect(a).toBe(b)
  })

  it('lives in memory when there is no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined)
    const proofs = dpop()
    expect(await proofs.thumbprint()).toBe(await proofs.thumbprint())
    expect(await dpop().thumbprint()).not.toBe(await proofs.thumbprint())
  })

  it('is missing without WebCrypto: the proof rejects with dpop-unavailable, saying where it works', async () => {
    vi.stubGlobal('crypto', {})
    await expect(dpop({ indexedDB: new IDBFactory() }).proof({ method: 'GET', url: URL_WITH_QUERY })).rejects.toMatchObject({ code: 'dpop-unavailable', message: expect.stringMatching(/^\[axios-reauth\] DPoP could not make a proof: .*https/) })
  })
})

describe('an app’s own signer', () => {
  it('is asked with the method, the URL, the origin’s nonce and the access token', async () => {
    const proof = vi.fn(() => 'signed')
    const proofs = dpop({ proof })
    proofs.rememberNonce(URL_WITH_QUERY, 'n1')
    await expect(proofs.proof({ method: 'get', url: URL_WITH_QUERY, accessToken: 't' })).resolves.toBe('signed')
    expect(proof).toHaveBeenCalledWith({ method: 'GET', url: URL_WITH_QUERY, nonce: 'n1', accessToken: 't' })
  })

  it('leaves thumbprint() to the app, whose key it is', async () => {
    await expect(dpop({ proof: () => 'signed' }).thumbprint()).rejects.toThrow(/thumbprint\(\) has no key to name/)
  })

  it('that throws gives dpop-proof-failed with the failure as cause', async () => {
    const failure = new Error('hardware key locked')
    await expect(dpop({ proof: () => Promise.reject(failure) }).proof({ method: 'GET', url: URL_WITH_QUERY })).rejects.toMatchObject({ code: 'dpop-proof-failed', cause: failure })
  })
})

describe('withProof, for the token endpoint', () => {
  const TOKEN = 'https://id.example.com/token'
  const nonceError = (nonce: string) => Object.assign(new Error('400'), { response: { status: 400, headers: { 'dpop-nonce': nonce }, data: { error: 'use_dpop_nonce' } } })

  it('runs the call once more with the nonce a use_dpop_nonce error brought', async () => {
    const proofs = dpop({ proof: ({ nonce }) => `p-${nonce}` })
    const call = vi.fn(async ({ DPoP }: { DPoP: string }) => {
      if (DPoP !== 'p-n1') throw nonceError('n1')
      return 'tokens'
    })
    await expect(proofs.withProof('POST', TOKEN, call)).resolves.toBe('tokens')
    expect(call.mock.calls.map(([headers]) => headers.DPoP)).toEqual(['p-undefined', 'p-n1'])
  })

  it('retries a fetch Response that is not ok and brings a new nonce', async () => {
    const proofs = dpop({ proof: ({ nonce }) => `p-${nonce}` })
    const call = vi.fn(async ({ DPoP }: { DPoP: string }) => (DPoP === 'p-n1' ? new Response('{}') : new Response('{}', { status: 400, headers: { 'DPoP-Nonce': 'n1' } })))
    expect((await proofs.withProof('POST', TOKEN, call)).status).toBe(200)
    expect(call).toHaveBeenCalledTimes(2)
  })

  it('runs it twice at most, and not again for a failure without a new nonce', async () => {
    const proofs = dpop({ proof: ({ nonce }) => `p-${nonce}` })
    let sends = 0
    const failing = () => proofs.withProof('POST', TOKEN, async () => Promise.reject(nonceError(`n${++sends}`)))
    await expect(failing()).rejects.toMatchObject({ response: { headers: { 'dpop-nonce': 'n2' } } })
    expect(sends).toBe(2)
    const refused = vi.fn(async () => Promise.reject(new Error('invalid_grant')))
    await expect(proofs.withProof('POST', TOKEN, refused)).rejects.toThrow('invalid_grant')
    expect(refused).toHaveBeenCalledTimes(1)
  })

  it('remembers the nonce of a success for the next proof', async () => {
    const proof = vi.fn(({ nonce }: { nonce: string | undefined }) => `p-${nonce}`)
    const proofs = dpop({ proof })
    await proofs.withProof('POST', TOKEN, async () => new Response('{}', { headers: { 'DPoP-Nonce': 'n9' } }))
    await proofs.headersFor('POST', TOKEN)
    expect(proof).toHaveBeenLastCalledWith(expect.objectContaining({ nonce: 'n9' }))
  })
})

describe('bad options', () => {
  it.each([
    ['not an object', 'x', /they must be an object/],
    ['an empty name', { name: '' }, /name must be a non-empty string/],
    ['a proof that is no function', { proof: 'jwt' }, /proof must be a function/],
    ['an indexedDB that is none', { indexedDB: {} }, /indexedDB must be an IDBFactory/],
  ])('%s gives a ConfigurationError naming the fix', (_, options, message) => {
    expect(() => dpop(options as never)).toThrow(ConfigurationError)
    expect(() => dpop(options as never)).toThrow(message)
  })
})
