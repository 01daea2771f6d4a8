// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import type { AuthClient } from 'axios-reauth'
import { authPlugin, useAuth } from 'axios-reauth/vue'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, inject, onScopeDispose } from 'vue'
// Vue batches its renders per tick, so the notifications are counted at the store itself.
import { authKey } from '../../src/vue/plugin'
import { useMswServer } from '../helpers/msw'
import { unauthorizedBurst } from '../helpers/unauthorized-burst'

const server = useMswServer()

/** Shows what a header would, and counts every notification the store sends its subscribers. */
const Header = defineComponent({
  props: { notified: { type: Object as () => { count: number }, required: true } },
  setup(props) {
    const stop = inject(authKey)!.store.subscribe(() => void (props.notified.count += 1))
    onScopeDispose(stop)
    const { status, lastDiagnosis } = useAuth()
    return () => h('p', `${status.value} ${lastDiagnosis.value?.code ?? 'no diagnosis'}`)
  },
})

const mountHeader = (auth: AuthClient, trackDiagnosis?: boolean) => {
  const notified = { count: 0 }
  const wrapper = mount(Header, { props: { notified }, global: { plugins: [[authPlugin, { client: auth, trackDiagnosis }]] } })
  return { wrapper, notified }
}

describe('50 concurrent 401s under a mounted useAuth()', () => {
  it('notify the store a bounded number of times and are not diagnosed for it', async () => {
    const burst = unauthorizedBurst(server)
    const { wrapper, notified } = mountHeader(burst.auth)
    expect(burst.auth.session.isObserved('diagnosis')).toBe(false)
    expect(await burst.run()).toEqual(Array(50).fill(200))
    await flushPromises()
    expect(burst.refreshes()).toBe(1)
    expect(notified.count).toBeGreaterThan(0)
    expect(notified.count).toBeLessThanOrEqual(4)
    expect(wrapper.text()).toBe('authenticated no diagnosis')
  })

  it('fill lastDiagnosis with trackDiagnosis, still notifying a bounded number of times', async () => {
    const burst = unauthorizedBurst(server)
    const { wrapper, notified } = mountHeader(burst.auth, true)
    expect(burst.auth.session.isObserved('diagnosis')).toBe(true)
    await burst.run()
    await flushPromises()
    expect(notified.count).toBeLessThanOrEqual(4)
    expect(wrapper.text()).toBe('authenticated invalid-token')
  })
})
