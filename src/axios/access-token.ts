// Framework-free, so that the fetch entry shares it: it lives in the core.
export { createAccessTokenGetter, type AccessTokenOptions } from '../core/session/access-token'
