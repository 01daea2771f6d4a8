import type { InternalAxiosRequestConfig } from 'axios'
import type { OriginPolicy } from './origin-policy'

/** What Node's redirect follower (follow-redirects, under axios's http adapter) passes for the next hop. */
interface RedirectOptions {
  href?: string
  protocol?: string
  hostname?: string
  port?: number | string
  headers?: Record<string, unknown>
}

type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>

function targetOf(options: RedirectOptions): string | undefined {
  if (typeof options.href === 'string') return options.href
  if (!options.protocol || !options.hostname) return undefined
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname
  return `${options.protocol}//${host}${options.port ? `:${options.port}` : ''}/`
}

/**
 * Builds what makes a redirect drop the token: before each hop that Node's http adapter follows,
 * the token's header (`Authorization`, or the client's `header`) and a DPoP proof are removed unless the next URL is on an allowed origin. Older axios
 * versions in the peer range keep the header on a redirect to a subdomain; browsers drop it on
 * any cross-origin redirect themselves (Fetch standard), so this matters in Node.
 *
 * An app's own `beforeRedirect` still runs, after the token is gone.
 */
export function createRedirectGuard(policy: OriginPolicy, header: string) {
  // A DPoP proof goes where its token goes, and no further.
  const headerNames = new Set([header.toLowerCase(), 'dpop'])
  /** Before a hop: drops the token's headers unless the next URL may have them. */
  const strip = (options: RedirectOptions): void => {
    const target = targetOf(options)
    if (target !== undefined && policy.allowsUrl(target)) return
    for (const name of Object.keys(options.headers ?? {})) if (headerNames.has(name.toLowerCase())) delete options.headers![name]
  }
  // One guard per app hook, made on first use: an instance's default `beforeRedirect` is on every
  // request. A guard is its own guard, so a replay, which comes back with it on, is not wrapped twice.
  const guardOf = new WeakMap<BeforeRedirect, BeforeRedirect>()
  const guardFor = (own: BeforeRedirect): BeforeRedirect => {
    let guard = guardOf.get(own)
    if (!guard) {
      guard = (options, responseDetails, requestDetails) => {
        strip(options)
        own(options, responseDetails, requestDetails)
      }
      guardOf.set(own, guard).set(guard, guard)
    }
    return guard
  }

  return (config: InternalAxiosRequestConfig): void => {
    const own = config.beforeRedirect
    if (own === undefined) config.beforeRedirect = strip
    else if (own !== strip) config.beforeRedirect = guardFor(own)
  }
}
