import { AuthProvider } from 'axios-reauth/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createDemo, EXPIRING_WITHIN_MS } from '../shared/demo'
import { createHashRouter } from '../shared/hash-router'
import { App } from './app'
import { DemoContext } from './hooks'

const router = createHashRouter()
const demo = createDemo({
  // `?dialog`: the login dialog mode. A second tab opened from the page keeps it.
  dialog: new URLSearchParams(location.search).has('dialog'),
  // Called once per ended session, however many requests failed with it.
  onLoginRequired: () => {
    if (router.currentRoute.value.path !== '/login') router.push('/login')
  },
})

const root = document.getElementById('app')
if (!root) throw new Error('The page needs an element with id "app".')
createRoot(root).render(
  <StrictMode>
    <AuthProvider client={demo.auth} expiringWithinMs={EXPIRING_WITHIN_MS} trackDiagnosis>
      <DemoContext.Provider value={{ demo, router }}>
        <App />
      </DemoContext.Provider>
    </AuthProvider>
  </StrictMode>,
)
