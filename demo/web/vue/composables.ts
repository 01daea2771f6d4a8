import { getCurrentScope, inject, onScopeDispose, ref, shallowRef, watchEffect, type InjectionKey, type Ref, type ShallowRef } from 'vue'
import type { Demo, DemoState } from '../shared/demo'
import type { HashRouter, Route } from '../shared/hash-router'
import type { LoginDialogState } from '../shared/login-dialog'
import type { TimelineSnapshot } from '../shared/timeline'

export interface DemoInjection {
  readonly demo: Demo
  readonly router: HashRouter
  /** The current route, as a ref. */
  readonly route: Readonly<ShallowRef<Route>>
}

export const demoKey: InjectionKey<DemoInjection> = Symbol('axios-reauth-demo')

export function useDemo(): DemoInjection {
  const injected = inject(demoKey, null)
  if (!injected) throw new Error('useDemo() needs app.provide(demoKey, …) and must be called in setup().')
  return injected
}

/** A ref that follows a `subscribe`/`get` store; the subscription ends with the component. */
function useStore<T>(subscribe: (listener: () => void) => () => void, get: () => T): Readonly<ShallowRef<T>> {
  const value = shallowRef(get())
  const unsubscribe = subscribe(() => {
    value.value = get()
  })
  value.value = get()
  if (getCurrentScope()) onScopeDispose(unsubscribe)
  return value
}

export function useDemoState(): Readonly<ShallowRef<DemoState>> {
  const { demo } = useDemo()
  return useStore(demo.subscribe, demo.getState)
}

const closed = { open: false, reason: undefined, opened: 0 } as const
const noSubscription = () => () => {}

/** The login dialog's state; always closed when the mode is off. */
export function useLoginDialog(): Readonly<ShallowRef<LoginDialogState>> {
  const { loginDialog } = useDemo().demo
  return useStore(loginDialog?.subscribe ?? noSubscription, loginDialog?.getState ?? (() => closed))
}

export function useTimeline(): Readonly<ShallowRef<TimelineSnapshot>> {
  const { timeline } = useDemo().demo
  return useStore(timeline.subscribe, timeline.getSnapshot)
}

/** A counter that goes up every `intervalMs` while `active` is true: read it to recompute with time. */
export function useTicker(intervalMs: number, active: Readonly<Ref<boolean>> = ref(true)): Readonly<Ref<number>> {
  const tick = ref(0)
  watchEffect((onCleanup) => {
    if (!active.value) return
    const handle = setInterval(() => tick.value++, intervalMs)
    onCleanup(() => clearInterval(handle))
  })
  return tick
}
