import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { vi } from 'vitest'

type Listener = (event: { data: unknown }) => void

/**
 * In-process stand-ins for `navigator.locks` and `BroadcastChannel`, as Node ≥ 24.5, Deno, Bun
 * and workers have them: every channel of one name hears every other one, within the process.
 * `open` holds the channels not closed yet, as the runtime does for a live channel.
 */
export function createTabApis() {
  const open = new Set<FakeBroadcastChannel>()
  const created: string[] = []

  class FakeBroadcastChannel {
    readonly #listeners = new Set<Listener>()
    constructor(readonly name: string) {
      created.push(name)
      open.add(this)
    }
    postMessage(data: unknown) {
      if (!open.has(this)) throw new Error('InvalidStateError: the channel is closed')
      const copy = structuredClone(data)
      for (const other of open) {
        if (other !== this && other.name === this.name) queueMicrotask(() => other.deliver(copy))
      }
    }
    deliver(data: unknown) {
      if (open.has(this)) for (const listener of this.#listeners) listener({ data })
    }
    addEventListener(_type: 'message', listener: Listener) {
      this.#listeners.add(listener)
    }
    removeEventListener(_type: 'message', listener: Listener) {
      this.#listeners.delete(listener)
    }
    close() {
      open.delete(this)
    }
    unref() {}
  }

  // One holder per name at a time, first come first served.
  const tails = new Map<string, Promise<unknown>>()
  const locks = {
    request<T>(name: string, _options: unknown, callback: () => Promise<T>): Promise<T> {
      const turn = (tails.get(name) ?? Promise.resolve()).then(callback)
      tails.set(
        name,
        turn.catch(() => undefined),
      )
      return turn
    },
  }

  return { BroadcastChannel: FakeBroadcastChannel, locks, open, created }
}

/** A server process with Web Locks and BroadcastChannel (Node ≥ 24.5, Deno, Bun): no document. */
export function stubServerRuntime() {
  const apis = createTabApis()
  vi.stubGlobal('navigator', { locks: apis.locks })
  vi.stubGlobal('BroadcastChannel', apis.BroadcastChannel)
  return apis
}

/** A web Storage over a Map, as `localStorage`. */
export function createMapStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    /** Every value ever written, removed or not. */
    written: [] as string[],
  }
}

/**
 * A page of a browser: a document, a window, localStorage and window events; with Web Locks
 * and BroadcastChannel unless `modern` is false (older browsers).
 */
export function stubBrowserPage({ modern = true } = {}) {
  const apis = createTabApis()
  const localStorage = createMapStorage()
  const setItem = localStorage.setItem
  localStorage.setItem = (key, value) => {
    localStorage.written.push(String(value))
    setItem(key, value)
  }
  const windowListeners = new Set<unknown>()
  vi.stubGlobal('document', { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} })
  vi.stubGlobal('window', globalThis)
  vi.stubGlobal('localStorage', localStorage)
  vi.stubGlobal('addEventListener', (_type: string, listener: unknown) => windowListeners.add(listener))
  vi.stubGlobal('removeEventListener', (_type: string, listener: unknown) => windowListeners.delete(listener))
  vi.stubGlobal('navigator', modern ? { locks: apis.locks } : {})
  vi.stubGlobal('BroadcastChannel', modern ? apis.BroadcastChannel : undefined)
  return { ...apis, localStorage, windowListeners }
}

/** Lets queued messages (delivered in microtasks) and the promises they settle run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Tells whether what `make` returns can be garbage-collected once nothing in the test holds it.
 * A full collection is forced a few times, between turns of the event loop.
 */
export async function isCollectable(make: () => object | Promise<object>): Promise<boolean> {
  const ref = await (async () => new WeakRef(await make()))()
  for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
    await settle()
    gc()
  }
  return ref.deref() === undefined
}
