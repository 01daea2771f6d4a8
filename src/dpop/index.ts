export { dpop, type Dpop, type DpopHeaders, type DpopOptions, type DpopProofRequest } from './dpop'
export { createKeyStore, type DpopKeyStore } from './key-store'
