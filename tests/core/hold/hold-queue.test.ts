import { describe, expect, it, vi } from 'vitest'
import { createRequestQueue } from '../../../src/core/hold/hold-queue'

const settledIn = async (promises: Array<Promise<unknown>>) => {
  const order: number[] = []
  const outcomes = promises.map((promise, index) =>
    promise.then(
      () => (order.push(index), 'released'),
      (error: unknown) => (order.push(index), error),
    ),
  )
  return { outcomes: await Promise.all(outcomes), order }
}

describe('the hold queue', () => {
  it('releases every held request, in the order they arrived', async () => {
    const queue = createRequestQueue()
    queue.pause()
    const held = Array.from({ length: 5 }, () => queue.hold())
    expect(queue.size).toBe(5)
    queue.release()
    const { outcomes, order } = await settledIn(held)
    expect(outcomes).toEqual(Array(5).fill('released'))
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(queue.size).toBe(0)
  })

  it('rejects every held request once with the error of rejectAll, and holds nothing after', async () => {
    const queue = createRequestQueue()
    queue.pause()
    const failure = new Error('refresh failed')
    const held = Array.from({ length: 3 }, () => queue.hold())
    queue.rejectAll(failure)
    const { outcomes } = await settledIn(held)
    expect(outcomes).toEqual([failure, failure, failure])
    await expect(queue.hold()).resolves.toBeUndefined()
  })

  it('lets a request go at once when nothing is paused', async () => {
    const queue = createRequestQueue()
    await expect(queue.hold()).resolves.toBeUndefined()
    expect(queue.size).toBe(0)
  })

  it('listens once to a signal shared by many held requests, and an abort takes all of them out', async () => {
    const queue = createRequestQueue()
    queue.pause()
    const controller = new AbortController()
    const listen = vi.spyOn(controller.signal, 'addEventListener')
    const shared = Array.from({ length: 1_000 }, () => queue.hold(controller.signal))
    const other = queue.hold()
    expect(listen).toHaveBeenCalledTimes(1)
    expect(queue.size).toBe(1_001)
    controller.abort(new Error('left the page'))
    const { outcomes } = await settledIn(shared)
    expect(new Set(outcomes.map((outcome) => (outcome as Error).message))).toEqual(new Set(['left the page']))
    expect(queue.size).toBe(1)
    queue.release()
    await expect(other).resolves.toBeUndefined()
  })

  it('rejects at once a request whose signal has already aborted', async () => {
    const queue = createRequestQueue()
    queue.pause()
    const controller = new AbortController()
    controller.abort(new Error('gone'))
    await expect(queue.hold(controller.signal)).rejects.toThrow('gone')
    expect(queue.size).toBe(0)
  })

  it('starts a new pause after a release: a later hold waits for the next release only', async () => {
    const queue = createRequestQueue()
    queue.pause()
    const first = queue.hold()
    queue.release()
    queue.pause()
    let secondDone = false
    const second = queue.hold().then(() => (secondDone = true))
    await first
    expect(secondDone).toBe(false)
    queue.release()
    await second
    expect(secondDone).toBe(true)
  })
})
