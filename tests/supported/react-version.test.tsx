// @vitest-environment jsdom
import { render, screen } from '@testing-library/react'
import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

// Run by every React project: proves which React the adapter's tests beside it ran against.
describe('the React the adapter tests run against', () => {
  it('is the version the run is for, with react-dom of the same version rendering', () => {
    render(<p data-testid="version">{version}</p>)
    expect(screen.getByTestId('version').textContent).toBe(version)
    expect(domVersion).toBe(version)
    expect(version.split('.')[0]).toBe(process.env.EXPECTED_REACT ?? '19')
  })
})
