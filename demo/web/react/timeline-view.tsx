import { layoutTimeline, markPath } from '../shared/layout'
import { legend, statusLegend, type LegendEntry } from '../shared/legend'
import { formatClock } from '../shared/format'
import { runCountItems, type Run } from '../shared/timeline'
import { useDemo, useTicker, useTimeline } from './hooks'

function Swatch({ entry }: { entry: LegendEntry }) {
  return (
    <svg className="swatch" viewBox="0 0 16 16" aria-hidden="true">
      {entry.type === 'mark' ? (
        <path className={`mark k-${entry.kind}`} d={markPath(entry.kind, 8, 8, 5)} />
      ) : (
        <rect className={`span k-${entry.kind}`} x="1" y={entry.kind === 'flight' ? 6.5 : 4} width="14" height={entry.kind === 'flight' ? 3 : 8} rx="2" />
      )}
    </svg>
  )
}

export function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {legend.map((entry) => (
        <li key={`${entry.type}-${entry.kind}`}>
          <Swatch entry={entry} />
          {entry.label}
        </li>
      ))}
      <li className="legend-group">session:</li>
      {statusLegend.map((entry) => (
        <li key={`${entry.type}-${entry.kind}`}>
          <Swatch entry={entry} />
          {entry.label}
        </li>
      ))}
    </ul>
  )
}

function Counts({ run }: { run: Run }) {
  const items = runCountItems(run.counts)
  return (
    <dl className="counts">
      {items.map(([key, label, value]) => (
        <div key={key} className={`count count-${key}`}>
          <dt>{label}</dt>
          <dd data-testid={`run-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** The current run as lanes on a time axis. */
export function TimelineView({ showLegend = true }: { showLegend?: boolean }) {
  const { demo } = useDemo()
  const { run } = useTimeline()
  useTicker(100, run?.isLive ?? false)
  if (!run) {
    return (
      <section className="card timeline-card">
        <h2>Timeline</h2>
        <p className="empty">Nothing sent yet. Press <b>Fire 20 requests</b>: each request gets a lane here.</p>
        {showLegend && <Legend />}
      </section>
    )
  }
  const layout = layoutTimeline(run, { elapsed: demo.timeline.elapsed() })
  return (
    <section className="card timeline-card">
      <header className="timeline-head">
        <h2>
          Timeline <span className="muted">run {run.number} · {formatClock(run.startedAtWall)} · {run.isLive ? 'running…' : 'settled'}</span>
        </h2>
        <Counts run={run} />
      </header>
      {showLegend && <Legend />}
      <div className="timeline-scroll">
        <svg
          className="timeline"
          data-testid="timeline"
          data-live={String(run.isLive)}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label={`Timeline of run ${run.number}: ${run.counts.requests} requests, ${run.counts.refreshes} refreshes`}
        >
          {layout.rows.map((row, index) => (
            <rect key={`bg-${row.key}`} className={`row-bg ${row.kind === 'request' && index % 2 ? 'odd' : ''} row-${row.kind}`} x={0} y={row.y} width={layout.width} height={row.height} />
          ))}
          {layout.ticks.map((tick) => (
            <g key={tick.label} className="tick">
              <line x1={tick.x} x2={tick.x} y1={layout.axisBottom} y2={layout.height} />
              <text x={tick.x} y={layout.axisBottom - 8}>{tick.label}</text>
            </g>
          ))}
          {layout.rows.map((row) => (
            <g key={row.key} className={`row row-${row.kind}`}>
              <text className="row-label" x={layout.plotLeft - 10} y={row.y + row.height / 2}>{row.label}</text>
              {row.spans.map((span, index) => (
                <rect key={index} className={`span k-${span.kind}`} x={span.x} y={span.y} width={span.width} height={span.height} rx={Math.min(3, span.height / 2)}>
                  <title>{span.title}</title>
                </rect>
              ))}
              {row.marks.map((mark) => (
                <path key={mark.key} className={`mark k-${mark.kind}`} d={mark.path}>
                  <title>{mark.title}</title>
                </path>
              ))}
            </g>
          ))}
        </svg>
      </div>
    </section>
  )
}
