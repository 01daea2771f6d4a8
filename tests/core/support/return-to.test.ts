import { loginLocation, readReturnTo, safeReturnTo } from 'axios-reauth'
import { describe, expect, it } from 'vitest'

describe('loginLocation', () => {
  it('puts the current full path in returnTo', () => {
    expect(loginLocation('/orders/7?tab=items#total')).toEqual({
      path: '/login',
      query: { returnTo: '/orders/7?tab=items#total' },
      href: '/login?returnTo=%2Forders%2F7%3Ftab%3Ditems%23total',
    })
  })

  it('uses the login route and query name it is given', () => {
    expect(loginLocation('/orders', { loginRoute: '/auth/sign-in', returnToQuery: 'next' })?.href).toBe('/auth/sign-in?next=%2Forders')
  })

  it('gives nothing on the login page, whatever its query or hash', () => {
    expect(loginLocation('/login?returnTo=%2Forders')).toBeUndefined()
    expect(loginLocation('/login#form')).toBeUndefined()
  })

  it('writes an href that readReturnTo reads back to the same path', () => {
    const path = '/search?q=a%20b&c=d#top'
    const href = loginLocation(path)!.href
    expect(readReturnTo(href.slice(href.indexOf('?')))).toBe(path)
  })
})

describe('safeReturnTo', () => {
  it('returns a path of this app', () => {
    expect(safeReturnTo('/orders/7?tab=items#total')).toBe('/orders/7?tab=items#total')
  })

  it.each([
    ['an absolute URL', 'https://evil.test/phish'],
    ['a protocol-relative URL', '//evil.test'],
    ['a backslash that browsers read as a slash', '/\\evil.test'],
    ['a tab that browsers strip', '/\t/evil.test'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'orders/7'],
    ['a number', 7],
    ['an array', ['/a']],
    ['nothing', undefined],
  ])('returns the fallback for %s', (_, value) => {
    expect(safeReturnTo(value, '/home')).toBe('/home')
  })
})

describe('readReturnTo', () => {
  it('reads returnTo from a query string with or without its question mark', () => {
    expect(readReturnTo('?returnTo=%2Forders')).toBe('/orders')
    expect(readReturnTo('returnTo=%2Forders')).toBe('/orders')
  })

  it('reads URLSearchParams and the query name it is given', () => {
    expect(readReturnTo(new URLSearchParams({ next: '/orders' }), '/', 'next')).toBe('/orders')
  })

  it.each([
    ['a protocol-relative URL', '?returnTo=%2F%2Fevil.test'],
    ['an absolute URL', '?returnTo=https%3A%2F%2Fevil.test'],
    ['a backslash', '?returnTo=%2F%5Cevil.test'],
    ['a javascript: URL', '?returnTo=javascript%3Aalert(1)'],
    ['no returnTo', '?other=1'],
  ])('returns the fallback for %s', (_, search) => {
    expect(readReturnTo(search, '/home')).toBe('/home')
  })
})
