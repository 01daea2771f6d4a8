import type { SessionStatus } from 'axios-reauth'
import { formatMs } from './format'
import type { Mark, MarkKind, Run } from './timeline'

/** What a stretch of a lane means, between two marks. */
export type SpanKind = 'flight' | 'waiting' | 'refreshing' | `status-${SessionStatus}`

export interface Span {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly kind: SpanKind
  readonly title: string
}

export interface PlacedMark {
  readonly key: string
  readonly kind: MarkKind
  /** An SVG path drawing the mark's shape, centred on its time. */
  readonly path: string
  readonly title: string
}

export interface Row {
  readonly key: string
  readonly label: string
  readonly kind: 'status' | 'refresh' | 'request'
  /** Top edge and height of the row. */
  readonly y: number
  readonly height: number
  readonly spans: readonly Span[]
  readonly marks: readonly PlacedMark[]
}

export interface Tick {
  readonly x: number
  readonly label: string
}

export interface TimelineLayout {
  readonly width: number
  readonly height: number
  /** Where the plot starts (after the labels) and ends. */
  readonly plotLeft: number
  readonly plotRight: number
  /** Bottom of the axis labels; rows start below. */
  readonly axisBottom: number
  readonly ticks: readonly Tick[]
  readonly rows: readonly Row[]
  /** The time the right edge stands for, in ms since the start. */
  readonly span: number
}

export interface LayoutOptions {
  /** Width of the drawing in SVG units. @default 900 */
  width?: number
  /** Milliseconds since the run started, for lanes still open. */
  elapsed: number
}

const LABEL_WIDTH = 74
const AXIS_HEIGHT = 22
const ROW_HEIGHT = 13
const TOP_ROW_HEIGHT = 18
const MARK_RADIUS = 4.5

/** Where a span opened by a mark of this kind leads, until the next mark. */
const spanAfter: Partial<Record<MarkKind, SpanKind>> = {
  sent: 'flight',
  replayed: 'flight',
  held: 'waiting',
  unauthorized: 'waiting',
  'refresh-start': 'refreshing',
}

const spanTitles: Record<SpanKind, string> = {
  flight: 'on the network',
  waiting: 'waiting for the refresh',
  refreshing: 'refresh in flight',
  'status-restoring': 'status: restoring',
  'status-authenticated': 'status: authenticated',
  'status-refreshing': 'status: refreshing',
  'status-reauthenticating': 'status: signing in again',
  'status-unauthenticated': 'status: unauthenticated',
}

/** Bar thickness by kind: the refresh stands out, time on the network stays a thin line. */
const spanHeights: Record<SpanKind, number> = {
  flight: 3,
  waiting: 8,
  refreshing: 11,
  'status-restoring': 14,
  'status-authenticated': 14,
  'status-refreshing': 14,
  'status-reauthenticating': 14,
  'status-unauthenticated': 14,
}

const round = (value: number) => Math.round(value * 10) / 10

/** The shape of each mark kind, centred on (x, y), `r` its half-size. */
export function markPath(kind: MarkKind, x: number, y: number, r = MARK_RADIUS): string {
  const circle = (radius: number) => `M${round(x - radius)} ${round(y)}a${radius} ${radius} 0 1 0 ${2 * radius} 0a${radius} ${radius} 0 1 0 ${-2 * radius} 0Z`
  switch (kind) {
    case 'sent':
    case 'held':
      return circle(r * 0.8)
    case 'unauthorized':
    case 'refresh-failure':
      return `M${round(x)} ${round(y - r)}L${round(x + r)} ${round(y)}L${round(x)} ${round(y + r)}L${round(x - r)} ${round(y)}Z`
    case 'replayed':
    case 'refresh-start':
      return `M${round(x - r * 0.7)} ${round(y - r)}L${round(x + r)} ${round(y)}L${round(x - r * 0.7)} ${round(y + r)}Z`
    case 'succeeded':
    case 'refresh-success':
      return circle(r)
    case 'failed':
      return `M${round(x - r)} ${round(y - r)}L${round(x + r)} ${round(y + r)}M${round(x + r)} ${round(y - r)}L${round(x - r)} ${round(y + r)}`
    case 'login-required':
      return `M${round(x - r * 0.6)} ${round(y + r)}V${round(y - r)}H${round(x + r)}L${round(x + r * 0.4)} ${round(y - r * 0.5)}L${round(x + r)} ${round(y)}H${round(x - r * 0.6)}`
  }
}

/** A "nice" step (1, 2 or 5 times a power of ten) giving at most `maxTicks` ticks over `span`. */
export function tickStep(span: number, maxTicks = 8): number {
  const rough = span / maxTicks
  const power = 10 ** Math.floor(Math.log10(rough))
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough) ?? 10 * power
}

/**
 * Places a run on a time axis: one row for the session status, one for the refresh, one per
 * request. Pure geometry; the React and Vue pages only turn it into SVG elements.
 */
export function layoutTimeline(run: Run, options: LayoutOptions): TimelineLayout {
  const width = options.width ?? 900
  const plotLeft = LABEL_WIDTH
  // Room on the right for the last tick's label.
  const plotRight = width - 26
  const end = run.isLive ? Math.max(options.elapsed, run.lastAt) : run.lastAt
  const step = tickStep(Math.max(end, 10) * 1.05)
  const span = Math.max(step, Math.ceil((Math.max(end, 10) * 1.05) / step) * step)
  const xOf = (at: number) => round(plotLeft + (Math.min(at, span) / span) * (plotRight - plotLeft))

  const ticks: Tick[] = []
  for (let at = 0; at <= span + step / 2; at += step) ticks.push({ x: xOf(at), label: formatMs(at) })

  const spanAt = (kind: SpanKind, from: number, to: number, middle: number, title = spanTitles[kind]): Span => {
    const x = xOf(from)
    const height = spanHeights[kind]
    return { x, y: round(middle - height / 2), width: Math.max(1.5, xOf(to) - x), height, kind, title }
  }

  const spansOf = (marks: readonly Mark[], isOpen: boolean, middle: number): Span[] => {
    const spans: Span[] = []
    marks.forEach((mark, index) => {
      const kind = spanAfter[mark.kind]
      const next = marks[index + 1]
      if (!kind || (!next && !isOpen)) return
      spans.push(spanAt(kind, mark.at, next ? next.at : end, middle))
    })
    return spans
  }

  const marksOf = (key: string, marks: readonly Mark[], y: number): PlacedMark[] =>
    marks.map((mark, index) => ({
      key: `${key}-${index}`,
      kind: mark.kind,
      path: markPath(mark.kind, xOf(mark.at), y),
      title: `+${formatMs(mark.at)}  ${mark.detail}`,
    }))

  const rows: Row[] = []
  let y = AXIS_HEIGHT + 4

  const statusSpans: Span[] = run.status.map((change, index) => {
    const next = run.status[index + 1]
    const kind: SpanKind = `status-${change.status}`
    return spanAt(kind, change.at, next ? next.at : end, y + TOP_ROW_HEIGHT / 2, `${spanTitles[kind]} from +${formatMs(change.at)}`)
  })
  // The session's end is a flag on the session lane, where the status turns to unauthenticated.
  const sessionEnds = run.refresh.filter((mark) => mark.kind === 'login-required')
  rows.push({ key: 'status', label: 'session', kind: 'status', y, height: TOP_ROW_HEIGHT, spans: statusSpans, marks: marksOf('session', sessionEnds, y + TOP_ROW_HEIGHT / 2) })
  y += TOP_ROW_HEIGHT

  const refreshOpen = run.refresh.filter((mark) => mark.kind === 'refresh-start').length >
    run.refresh.filter((mark) => mark.kind === 'refresh-success' || mark.kind === 'refresh-failure').length
  const refreshMarks = run.refresh.filter((mark) => mark.kind !== 'login-required')
  rows.push({
    key: 'refresh',
    label: 'refresh',
    kind: 'refresh',
    y,
    height: TOP_ROW_HEIGHT,
    spans: spansOf(refreshMarks, refreshOpen, y + TOP_ROW_HEIGHT / 2),
    marks: marksOf('refresh', refreshMarks, y + TOP_ROW_HEIGHT / 2),
  })
  y += TOP_ROW_HEIGHT + 4

  for (const lane of run.requests) {
    rows.push({
      key: lane.id,
      label: lane.label,
      kind: 'request',
      y,
      height: ROW_HEIGHT,
      spans: spansOf(lane.marks, !lane.settled, y + ROW_HEIGHT / 2),
      marks: marksOf(lane.id, lane.marks, y + ROW_HEIGHT / 2),
    })
    y += ROW_HEIGHT
  }

  return { width, height: y + 6, plotLeft, plotRight, axisBottom: AXIS_HEIGHT, ticks, rows, span }
}
