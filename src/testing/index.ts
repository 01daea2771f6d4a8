export { fakeToken, type FakeTokenOptions } from './fake-token'
export { expireNow } from './expire-now'
export { createFakeAuthServer, type FakeAuthServer, type FakeAuthServerOptions, type FakeTokens } from './fake-auth-server'
export { FakeRefreshError, type FakeRefreshFailure } from './fake-refresh-error'
