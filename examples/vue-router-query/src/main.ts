import { VueQueryPlugin } from '@tanstack/vue-query'
import { authPlugin } from 'axios-reauth/vue'
import { createApp, defineComponent, h } from 'vue'
import { createRouter, createWebHashHistory, RouterView } from 'vue-router'
import { auth } from './api'
import { createQueryClient } from './query-client'
import { ItemView, LoginView } from './views'

const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: ItemView, meta: { requiresAuth: true } },
    { path: '/login', component: LoginView },
  ],
})
// Signed-out visitors go to the login page first, with the page they asked for kept.
router.beforeEach((to) => (to.meta.requiresAuth && auth.status === 'unauthenticated' ? { path: '/login', query: { returnTo: to.fullPath } } : true))

createApp(defineComponent({ render: () => h(RouterView) }))
  .use(router)
  .use(VueQueryPlugin, { queryClient: createQueryClient(auth) })
  // The session ends → /login?returnTo=<where the user was>
  .use(authPlugin, { client: auth, router })
  .mount('#app')
