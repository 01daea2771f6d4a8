import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { createRequestStamps, RequestStamp } from '../../src/axios/request-stamp'

describe('request stamps', () => {
  it("are kept under the client's own key, which a copy of the config carries (a spread, or axios's merge for a re-send)", () => {
    const id = ['client', Math.random().toString(36).slice(2)].join('-')
    const stamps = createRequestStamps(id)
    const stamp = new RequestStamp(3, 'Bearer t')
    const config = { url: '/x' }
    stamps.write(config, stamp)
    expect(Object.keys(config)).toEqual(['url', `axios-reauth:${id}`])
    expect(stamps.read({ ...config })).toBe(stamp)
    expect(stamps.read(axios.mergeConfig({}, config))).toBe(stamp)
    stamps.remove(config)
    expect(stamps.owns(config)).toBe(false)
  })

  it("never reads another client's stamps", () => {
    const config = {}
    createRequestStamps('a').write(config, new RequestStamp(1, 'Bearer a'))
    expect(createRequestStamps('b').read(config)).toBeUndefined()
  })
})
