import axios from 'axios'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOriginPolicy } from '../../src/axios/origin-policy'

// The characters that move a URL's host: slashes both ways, '@', ':', '?', '#', '%', dots,
// whitespace the parser strips, and letters to make host names of.
const urlCharacter = fc.constantFrom('/', '\\', '@', ':', '?', '#', '%', '.', ' ', '\t', '\n', 'a', 'e', 'v', 'i', 'l', 't', 's', 'h', 'p', '1')
const urlText = fc.array(urlCharacter, { maxLength: 24 }).map((chars) => chars.join(''))
const prefixes = ['', '/', '//', 'https://', 'https://evil.test', 'http://api.example.test', 'https://api.example.test', 'https://api.example.test@evil.test', 'evil.test', '\\\\evil.test']
const requestUrl = fc.tuple(fc.constantFrom(...prefixes), urlText).map(([prefix, rest]) => prefix + rest)

const BASES = ['https://api.example.test', 'https://api.example.test/', 'https://api.example.test/v1/', 'https://api.example.test:8443/v1']

/** Where the request really goes: axios builds the URL, the WHATWG parser reads its origin. */
function originOfRequest(baseURL: string, url: string, allowAbsoluteUrls: boolean): string | undefined {
  try {
    const origin = new URL(axios.create({ baseURL, allowAbsoluteUrls }).getUri({ url })).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

describe('the origin policy against the URL parser', () => {
  it("allows a request exactly when axios's full URL is on the instance's origin, for any URL text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), requestUrl, fc.boolean(), (baseURL, url, allowAbsoluteUrls) => {
        const policy = createOriginPolicy(baseURL)
        const expected = originOfRequest(baseURL, url, allowAbsoluteUrls) === new URL(baseURL).origin
        expect(policy.allowsRequest({ baseURL, url, allowAbsoluteUrls })).toBe(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('decides a request on another base URL than the instance\'s by parsing it, whatever it shares with the allowed origin', () => {
    fc.assert(
      fc.property(fc.constantFrom('https://api.example.test.evil.test', 'https://api.example.test@evil.test', 'https://evil.test/https://api.example.test', '/'), urlText, (baseURL, url) => {
        const policy = createOriginPolicy('https://api.example.test')
        const expected = originOfRequest(baseURL, url, true) === 'https://api.example.test'
        expect(policy.allowsRequest({ baseURL, url })).toBe(expected)
      }),
      { numRuns: 1000 },
    )
  })
})
