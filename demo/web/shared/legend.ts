import type { SpanKind } from './layout'
import type { MarkKind } from './timeline'

export type LegendEntry =
  | { readonly type: 'mark'; readonly kind: MarkKind; readonly label: string }
  | { readonly type: 'span'; readonly kind: SpanKind; readonly label: string }

/** Every color and shape on the timeline, in the order a request meets them. */
export const legend: readonly LegendEntry[] = [
  { type: 'mark', kind: 'sent', label: 'sent' },
  { type: 'span', kind: 'flight', label: 'in flight' },
  { type: 'mark', kind: 'unauthorized', label: '401' },
  { type: 'mark', kind: 'held', label: 'held' },
  { type: 'span', kind: 'waiting', label: 'waiting for refresh' },
  { type: 'mark', kind: 'refresh-start', label: 'refresh started' },
  { type: 'span', kind: 'refreshing', label: 'refreshing' },
  { type: 'mark', kind: 'refresh-success', label: 'refresh finished' },
  { type: 'mark', kind: 'refresh-failure', label: 'refresh failed' },
  { type: 'mark', kind: 'replayed', label: 'replayed' },
  { type: 'mark', kind: 'succeeded', label: 'succeeded' },
  { type: 'mark', kind: 'failed', label: 'failed' },
  { type: 'mark', kind: 'login-required', label: 'session ended' },
]

/** The session lane's colors, one per status. */
export const statusLegend: readonly LegendEntry[] = [
  { type: 'span', kind: 'status-authenticated', label: 'authenticated' },
  { type: 'span', kind: 'status-refreshing', label: 'refreshing' },
  { type: 'span', kind: 'status-reauthenticating', label: 'signing in again' },
  { type: 'span', kind: 'status-unauthenticated', label: 'signed out' },
]
