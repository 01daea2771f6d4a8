import { authPlugin, loginRedirect } from 'axios-reauth/vue'
import { createApp, shallowRef } from 'vue'
import { createDemo, EXPIRING_WITHIN_MS } from '../shared/demo'
import { createHashRouter } from '../shared/hash-router'
import App from './app.vue'
import { demoKey } from './composables'

const router = createHashRouter()
const route = shallowRef(router.currentRoute.value)
router.subscribe(() => {
  route.value = router.currentRoute.value
})

// loginRedirect() sends the user to /login?returnTo=<this page>, once per ended session.
// `?dialog`: the login dialog mode. A second tab opened from the page keeps it.
const demo = createDemo({ onLoginRequired: loginRedirect(router), dialog: new URLSearchParams(location.search).has('dialog') })

createApp(App)
  .use(authPlugin, { client: demo.auth, expiringWithinMs: EXPIRING_WITHIN_MS, trackDiagnosis: true })
  .provide(demoKey, { demo, router, route })
  .mount('#app')
