/**
 * What only the axios glue and the adapters may import: the session's internal port and the
 * pieces of the core they are built from. Nothing here is exported from the package root.
 */
export { judgeChallenge, type ChallengeVerdict } from './challenge/verdict'
export { createReplayLimit, type ReplayLimit } from './hold/replay-limit'
export { createSessionPort } from './session/create-session'
export type { SessionPort } from './session/types'
