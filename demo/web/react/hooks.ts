import { createContext, useContext, useEffect, useReducer, useSyncExternalStore } from 'react'
import type { Demo, DemoState } from '../shared/demo'
import type { HashRouter, Route } from '../shared/hash-router'
import type { TimelineSnapshot } from '../shared/timeline'

export interface DemoContextValue {
  readonly demo: Demo
  readonly router: HashRouter
}

export const DemoContext = createContext<DemoContextValue | null>(null)

export function useDemo(): DemoContextValue {
  const value = useContext(DemoContext)
  if (!value) throw new Error('useDemo() needs a <DemoContext.Provider> above it.')
  return value
}

export function useDemoState(): DemoState {
  const { demo } = useDemo()
  return useSyncExternalStore(demo.subscribe, demo.getState)
}

export function useTimeline(): TimelineSnapshot {
  const { timeline } = useDemo().demo
  return useSyncExternalStore(timeline.subscribe, timeline.getSnapshot)
}

export function useRoute(): Route {
  const { router } = useDemo()
  return useSyncExternalStore(router.subscribe, () => router.currentRoute.value)
}

/** Re-renders every `intervalMs` while `active`: for countdowns and a growing time axis. */
export function useTicker(intervalMs: number, active = true): void {
  const [, tick] = useReducer((count: number) => count + 1, 0)
  useEffect(() => {
    if (!active) return
    const handle = setInterval(tick, intervalMs)
    return () => clearInterval(handle)
  }, [intervalMs, active])
}
