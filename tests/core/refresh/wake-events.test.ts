// @vitest-environment jsdom
import { browserWakeEvents } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'

describe('browser wake-up events', () => {
  it('wakes on focus, online, and a tab becoming visible, not hidden', () => {
    const onWake = vi.fn()
    const off = browserWakeEvents(onWake)
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('online'))
    const visibility = vi.spyOn(document, 'visibilityState', 'get')
    visibility.mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    visibility.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onWake).toHaveBeenCalledTimes(3)
    off()
    window.dispatchEvent(new Event('focus'))
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onWake).toHaveBeenCalledTimes(3)
  })
})
