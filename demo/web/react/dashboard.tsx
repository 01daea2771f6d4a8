import { Controls } from './controls'
import { DiagnosisPanel, ServerPanel, TokenPanel } from './panels'
import { TimelineView } from './timeline-view'

export function Dashboard() {
  return (
    <main className="dashboard" data-testid="dashboard">
      <div className="columns">
        <aside className="side">
          <TokenPanel />
          <DiagnosisPanel />
          <ServerPanel />
        </aside>
        <div className="main">
          <Controls />
          <TimelineView />
        </div>
      </div>
    </main>
  )
}
