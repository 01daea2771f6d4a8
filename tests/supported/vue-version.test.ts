// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, version } from 'vue'

// Run by every Vue project: proves which Vue the adapter's tests beside it ran against.
describe('the Vue the adapter tests run against', () => {
  it('is the version the run is for, and @vue/test-utils mounts with it', () => {
    const wrapper = mount(defineComponent({ setup: () => () => h('p', version) }))
    expect(wrapper.text()).toBe(version)
    expect(version.split('.').slice(0, 2).join('.')).toBe(process.env.EXPECTED_VUE ?? '3.5')
  })
})
