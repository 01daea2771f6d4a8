// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import type { AuthClient } from 'axios-reauth'
import { AuthProvider, useAuth } from 'axios-reauth/react'
import { useEffect } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
// React batches the renders of one act(), so the notifications are counted at the store itself.
import { useAuthContext } from '../../src/react/auth-provider'
import { useMswServer } from '../helpers/msw'
import { unauthorizedBurst } from '../helpers/unauthorized-burst'

const server = useMswServer()
afterEach(cleanup)

/** Shows what a header would, and counts every notification the store sends its subscribers. */
function Header({ notified }: { notified: { count: number } }) {
  const { store } = useAuthContext('Header')
  useEffect(() => store.subscribe(() => void (notified.count += 1)), [store])
  const { status, lastDiagnosis } = useAuth()
  return <p data-testid="header">{`${status} ${lastDiagnosis?.code ?? 'no diagnosis'}`}</p>
}

const mount = (auth: AuthClient, trackDiagnosis?: boolean) => {
  const notified = { count: 0 }
  render(<AuthProvider client={auth} trackDiagnosis={trackDiagnosis}><Header notified={notified} /></AuthProvider>)
  return notified
}

describe('50 concurrent 401s under a mounted useAuth()', () => {
  it('notify the store a bounded number of times and are not diagnosed for it', async () => {
    const burst = unauthorizedBurst(server)
    const notified = mount(burst.auth)
    expect(burst.auth.session.isObserved('diagnosis')).toBe(false)
    let statuses: number[] = []
    await act(async () => {
      statuses = await burst.run()
    })
    expect(statuses).toEqual(Array(50).fill(200))
    expect(burst.refreshes()).toBe(1)
    expect(notified.count).toBeGreaterThan(0)
    expect(notified.count).toBeLessThanOrEqual(4)
    expect(screen.getByTestId('header').textContent).toBe('authenticated no diagnosis')
  })

  it('fill lastDiagnosis with trackDiagnosis, still notifying a bounded number of times', async () => {
    const burst = unauthorizedBurst(server)
    const notified = mount(burst.auth, true)
    expect(burst.auth.session.isObserved('diagnosis')).toBe(true)
    await act(async () => {
      await burst.run()
    })
    expect(notified.count).toBeLessThanOrEqual(4)
    expect(screen.getByTestId('header').textContent).toBe('authenticated invalid-token')
  })
})
