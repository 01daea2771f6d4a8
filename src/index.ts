export * from './core'
export * from './axios'
