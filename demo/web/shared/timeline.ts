import type { SessionStatus } from 'axios-reauth'

/** Something that happened at one instant on a lane. */
export type MarkKind =
  | 'sent'
  | 'held'
  | 'unauthorized'
  | 'replayed'
  | 'succeeded'
  | 'failed'
  | 'refresh-start'
  | 'refresh-success'
  | 'refresh-failure'
  | 'login-required'

export interface Mark {
  /** Milliseconds since the run started. */
  readonly at: number
  readonly kind: MarkKind
  /** Shown as a tooltip; never a whole token. */
  readonly detail: string
}

/** One request: its marks in order, from the first `sent` or `held` to `succeeded` or `failed`. */
export interface RequestLane {
  readonly id: string
  readonly label: string
  readonly marks: readonly Mark[]
  readonly settled: boolean
}

export interface StatusChange {
  readonly at: number
  readonly status: SessionStatus
}

export interface RunCounts {
  readonly requests: number
  readonly held: number
  readonly unauthorized: number
  readonly replayed: number
  readonly refreshes: number
  readonly refreshFailures: number
  readonly succeeded: number
  readonly failed: number
}

/** A run's counts as the page lists them: key (class and test id), label, value. */
export function runCountItems(counts: RunCounts) {
  return [
    ['requests', 'requests', counts.requests],
    ['unauthorized', '401s', counts.unauthorized],
    ['held', 'held', counts.held],
    ['refreshes', counts.refreshes === 1 ? 'refresh' : 'refreshes', counts.refreshes],
    ['replayed', 'replayed', counts.replayed],
    ['succeeded', 'succeeded', counts.succeeded],
    ['failed', 'failed', counts.failed],
  ] as const
}

/** Everything between one burst of requests and the moment the last of them settled. */
export interface Run {
  readonly number: number
  /** Wall-clock time of the start, for display. */
  readonly startedAtWall: number
  readonly requests: readonly RequestLane[]
  /** Refresh starts, successes and failures, and the end of the session (drawn on the session lane). */
  readonly refresh: readonly Mark[]
  readonly status: readonly StatusChange[]
  /** True while a request is unsettled or a refresh is in flight: the time axis keeps growing. */
  readonly isLive: boolean
  /** Milliseconds from the start to the last mark. */
  readonly lastAt: number
  readonly counts: RunCounts
}

export interface TimelineSnapshot {
  readonly run: Run | undefined
}

/** Options of {@link createTimeline}. */
export interface TimelineOptions {
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number
  /** Wall-clock milliseconds, for the start time shown. @default Date.now */
  wallNow?: () => number
  /** Delivers batched change notifications. @default queueMicrotask */
  schedule?: (callback: () => void) => void
}

export interface Timeline {
  subscribe(listener: () => void): () => void
  getSnapshot(): TimelineSnapshot
  /** Milliseconds since the current run started (0 without a run). */
  elapsed(): number
  /** Starts a new run unless the current one is still live; `status` is where the session stands. */
  beginRun(status: SessionStatus): void
  /** A request left, or was held, or was replayed (what the request interceptor saw). */
  issued(id: string, kind: 'sent' | 'held' | 'replayed', detail: string): void
  /** A request reached the network; a held one gets its `sent` mark now. */
  departed(id: string, detail: string): void
  unauthorized(id: string, detail: string): void
  succeeded(id: string, detail: string): void
  failed(id: string, detail: string): void
  refreshStarted(detail: string): void
  refreshFinished(ok: boolean, detail: string): void
  sessionEnded(detail: string): void
  statusChanged(status: SessionStatus): void
}

interface MutableLane {
  id: string
  label: string
  marks: Mark[]
  settled: boolean
}

interface MutableRun {
  number: number
  startedAt: number
  startedAtWall: number
  lanes: Map<string, MutableLane>
  refresh: Mark[]
  status: StatusChange[]
  refreshesInFlight: number
  lastAt: number
}

const countMarks = (lanes: readonly RequestLane[], kind: MarkKind) =>
  lanes.reduce((sum, lane) => sum + lane.marks.filter((mark) => mark.kind === kind).length, 0)

/**
 * Records what happens to requests and refreshes as lanes of marks, one run at a time. The
 * snapshot is rebuilt only after a change, so it suits `useSyncExternalStore` and Vue refs.
 */
export function createTimeline(options: TimelineOptions = {}): Timeline {
  const now = options.now ?? (() => performance.now())
  const wallNow = options.wallNow ?? Date.now
  const schedule = options.schedule ?? queueMicrotask
  const listeners = new Set<() => void>()
  let run: MutableRun | undefined
  let runs = 0
  let snapshot: TimelineSnapshot = { run: undefined }
  let dirty = false
  let notifying = false

  const isLive = (current: MutableRun) =>
    current.refreshesInFlight > 0 || [...current.lanes.values()].some((lane) => !lane.settled)

  const freeze = (current: MutableRun): Run => {
    const requests = [...current.lanes.values()].map((lane) => ({ ...lane, marks: [...lane.marks] }))
    const refresh = [...current.refresh]
    return {
      number: current.number,
      startedAtWall: current.startedAtWall,
      requests,
      refresh,
      status: [...current.status],
      isLive: isLive(current),
      lastAt: current.lastAt,
      counts: {
        requests: requests.length,
        held: countMarks(requests, 'held'),
        unauthorized: countMarks(requests, 'unauthorized'),
        replayed: countMarks(requests, 'replayed'),
        refreshes: refresh.filter((mark) => mark.kind === 'refresh-start').length,
        refreshFailures: refresh.filter((mark) => mark.kind === 'refresh-failure').length,
        succeeded: countMarks(requests, 'succeeded'),
        failed: countMarks(requests, 'failed'),
      },
    }
  }

  // Many marks arrive in one task (a burst of 401s): subscribers hear about them once.
  const changed = () => {
    dirty = true
    if (notifying) return
    notifying = true
    schedule(() => {
      notifying = false
      for (const listener of [...listeners]) listener()
    })
  }

  const startRun = (status: SessionStatus): MutableRun => {
    run = {
      number: ++runs,
      startedAt: now(),
      startedAtWall: wallNow(),
      lanes: new Map(),
      refresh: [],
      status: [{ at: 0, status }],
      refreshesInFlight: 0,
      lastAt: 0,
    }
    return run
  }

  const stamp = (current: MutableRun) => {
    const at = Math.max(0, now() - current.startedAt)
    current.lastAt = Math.max(current.lastAt, at)
    return at
  }

  const laneOf = (id: string): { current: MutableRun; lane: MutableLane } => {
    const current = run ?? startRun('authenticated')
    let lane = current.lanes.get(id)
    if (!lane) {
      lane = { id, label: `#${current.lanes.size + 1}`, marks: [], settled: false }
      current.lanes.set(id, lane)
    }
    return { current, lane }
  }

  const mark = (id: string, kind: MarkKind, detail: string) => {
    const { current, lane } = laneOf(id)
    lane.marks.push({ at: stamp(current), kind, detail })
    if (kind === 'succeeded' || kind === 'failed') lane.settled = true
    changed()
  }

  const refreshMark = (kind: MarkKind, detail: string) => {
    // A refresh nobody's request is waiting for (another tab's login, a timer) opens its own run.
    const current = run && isLive(run) ? run : startRun('authenticated')
    current.refresh.push({ at: stamp(current), kind, detail })
    return current
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot() {
      if (dirty) {
        dirty = false
        snapshot = { run: run && freeze(run) }
      }
      return snapshot
    },
    elapsed: () => (run ? now() - run.startedAt : 0),
    beginRun(status) {
      if (run && isLive(run)) return
      startRun(status)
      changed()
    },
    issued: mark,
    departed(id, detail) {
      const lane = run?.lanes.get(id)
      if (lane?.marks.at(-1)?.kind === 'held') mark(id, 'sent', detail)
    },
    unauthorized: (id, detail) => mark(id, 'unauthorized', detail),
    succeeded(id, detail) {
      if (!run?.lanes.get(id)?.settled) mark(id, 'succeeded', detail)
    },
    failed(id, detail) {
      if (!run?.lanes.get(id)?.settled) mark(id, 'failed', detail)
    },
    refreshStarted(detail) {
      refreshMark('refresh-start', detail).refreshesInFlight += 1
      changed()
    },
    refreshFinished(ok, detail) {
      const current = refreshMark(ok ? 'refresh-success' : 'refresh-failure', detail)
      current.refreshesInFlight = Math.max(0, current.refreshesInFlight - 1)
      changed()
    },
    sessionEnded(detail) {
      if (!run) return
      run.refresh.push({ at: stamp(run), kind: 'login-required', detail })
      changed()
    },
    statusChanged(status) {
      // Only while something is going on: a login minutes later must not stretch the picture.
      if (!run || !isLive(run)) return
      run.status.push({ at: stamp(run), status })
      changed()
    },
  }
}
