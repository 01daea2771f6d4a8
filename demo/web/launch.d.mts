import type { AuthApi } from '../server/auth-api.d.mts'

export interface BuildOptions {
  /** Where the built app goes. Default `demo/web/dist`. */
  outDir?: string
}

export interface StartOptions {
  /** Default `5173`; `0` picks a free port. */
  port?: number
  /** Default `'127.0.0.1'`. */
  host?: string
  /** The built app to serve. Default `demo/web/dist`. */
  outDir?: string
  /** Lifetime of access tokens in seconds. Default `20`. */
  accessTtlSeconds?: number
  /** When `port` is taken, listen on a free one instead of failing. Default `true`. */
  fallBackToFreePort?: boolean
}

/** The demo auth API, serving the app; `fellBack` tells whether the asked-for port was taken. */
export interface DemoServer extends AuthApi {
  readonly fellBack: boolean
}

/** The folder the demo's sources are in. */
export declare const webRoot: string
/** `demo/web/dist`. */
export declare const defaultOutDir: string
/** True when the built app exists and is newer than its sources and the built library. */
export declare function isDemoBuilt(outDir?: string): boolean
/** Builds the React and Vue pages with Vite, on the built package; resolves with the output folder. */
export declare function buildDemo(options?: BuildOptions): Promise<string>
/** Starts the demo auth API with the built app as its static files. */
export declare function startDemo(options?: StartOptions): Promise<DemoServer>
