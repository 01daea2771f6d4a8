/** A typed set of listeners per event name. */
export interface Listeners<Events extends object> {
  on<Name extends keyof Events>(name: Name, listener: (payload: Events[Name]) => void): () => void
  emit<Name extends keyof Events>(name: Name, payload: Events[Name]): void
  /** Tells whether anyone listens to `name`, to skip work nobody would see. */
  has(name: keyof Events): boolean
}

/**
 * Creates a listener registry. A throwing listener must not break the session's state machine,
 * so its error is reported asynchronously instead of propagating into the emitter.
 */
export function createListeners<Events extends object>(): Listeners<Events> {
  const byName = new Map<keyof Events, Set<(payload: never) => void>>()
  return {
    on(name, listener) {
      let set = byName.get(name)
      if (!set) byName.set(name, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    has: (name) => (byName.get(name)?.size ?? 0) > 0,
    emit(name, payload) {
      const set = byName.get(name)
      if (!set) return
      for (const listener of [...set]) {
        try {
          ;(listener as (payload: Events[typeof name]) => void)(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
  }
}
