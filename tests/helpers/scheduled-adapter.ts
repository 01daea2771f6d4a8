import { AxiosError, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import type { Clock } from 'axios-reauth'
import type fc from 'fast-check'

/** What the in-memory server sees of one send. */
export interface ScheduledExchange {
  /** The `x-request-id` header. */
  id: string
  /** 1 for the first send of this id, 2 for its replay, and so on. */
  attempt: number
  /** The origin the request went to. */
  origin: string
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined
}

export interface ScheduledAdapterHandlers {
  /** Runs at the very moment the adapter is invoked, before anything is scheduled. */
  onSend?: (exchange: ScheduledExchange) => void
  /** Decides the status when the scheduler releases the response (the server reads the token then). */
  answer: (exchange: ScheduledExchange) => number
}

const absoluteUrl = /^[a-z][a-z\d+\-.]*:\/\//i

/**
 * An in-memory axios adapter whose responses are released by a fast-check scheduler, in the order
 * it picks. Like axios's own adapters it rejects non-2xx with an AxiosError and honours
 * `config.signal` at once with a CanceledError.
 */
export function createScheduledAdapter(s: fc.Scheduler, handlers: ScheduledAdapterHandlers): AxiosAdapter {
  const attempts = new Map<string, number>()
  return (config: InternalAxiosRequestConfig) => {
    const id = String(config.headers.get('x-request-id') ?? '?')
    const attempt = (attempts.get(id) ?? 0) + 1
    attempts.set(id, attempt)
    const url = config.url ?? ''
    const origin = new URL(absoluteUrl.test(url) ? url : `${config.baseURL ?? ''}${url}`).origin
    const header = config.headers.get('Authorization')
    const exchange: ScheduledExchange = { id, attempt, origin, authorization: typeof header === 'string' ? header : undefined }
    handlers.onSend?.(exchange)
    return new Promise<AxiosResponse>((resolve, reject) => {
      const signal = config.signal as AbortSignal | undefined
      const cancel = () => reject(new CanceledError(undefined, config))
      if (signal?.aborted) return cancel()
      signal?.addEventListener('abort', cancel, { once: true })
      void s.schedule(Promise.resolve(), `respond #${id} (send ${attempt})`).then(() => {
        signal?.removeEventListener('abort', cancel)
        if (signal?.aborted) return
        const status = handlers.answer(exchange)
        const response: AxiosResponse = { data: { id }, status, statusText: String(status), headers: {}, config, request: {} }
        if (status >= 200 && status < 300) resolve(response)
        else reject(new AxiosError(`Request failed with status code ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response))
      })
    })
  }
}

/**
 * Resolves after `steps` scheduled tasks in a row, so the scheduler picks the moment: the more
 * steps, the later it tends to come among everything else pending. `stop()` ends the chain early.
 */
export function afterSteps(s: fc.Scheduler, label: string, steps: number, stop: () => boolean = () => false): Promise<boolean> {
  const step = (k: number): Promise<boolean> => {
    if (stop()) return Promise.resolve(false)
    if (k > steps) return Promise.resolve(true)
    return s.schedule(Promise.resolve(), steps > 1 ? `${label} (${k}/${steps})` : label).then(() => step(k + 1))
  }
  return step(1)
}

/**
 * A clock whose timers fire as tasks of a fast-check scheduler, so the scheduler picks when a
 * timeout happens; a timer takes `steps` scheduled tasks to fire (more steps: a longer wait
 * compared with the other work). Time only moves when a timer fires: it jumps to its due time.
 */
export function createScheduledClock(s: fc.Scheduler, options: { steps?: number; start?: number } = {}): Clock {
  const steps = options.steps ?? 1
  let now = options.start ?? 1_700_000_000_000
  let count = 0
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { cleared: false }
      const due = now + ms
      void afterSteps(s, `timer ${++count} (${ms} ms)`, steps, () => timer.cleared).then((fired) => {
        if (!fired || timer.cleared) return
        now = Math.max(now, due)
        callback()
      })
      return timer
    },
    clearTimeout(handle) {
      if (typeof handle === 'object' && handle !== null) (handle as { cleared: boolean }).cleared = true
    },
  }
}

/**
 * Releases scheduled tasks until none is left and nothing new gets scheduled. `waitIdle` alone
 * gives up after 50 quiet microtasks; a longer promise chain between two tasks must not end the
 * run early and pass for a request that never settles.
 */
export async function drain(s: fc.Scheduler): Promise<void> {
  for (;;) {
    await s.waitIdle()
    for (let i = 0; i < 500; i++) await Promise.resolve()
    if (s.count() === 0) return
  }
}
