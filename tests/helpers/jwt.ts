const base64url = (value: string) => Buffer.from(value).toString('base64url')

/** An unsigned JWT with the given claims; clients decode, they never verify. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.signature`
}
