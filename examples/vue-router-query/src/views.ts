import { useQuery } from '@tanstack/vue-query'
import { returnTo, useAuth } from 'axios-reauth/vue'
import { defineComponent, h } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { api, logIn } from './api'

export const ItemView = defineComponent({
  setup() {
    const { claims, status } = useAuth()
    const item = useQuery({ queryKey: ['item', 1], queryFn: async () => (await api.get<{ id: string; at: number }>('/api/items/1')).data })
    return () =>
      h('main', [
        h('p', ['Signed in as ', h('span', { 'data-testid': 'user' }, claims.value?.sub ?? ''), ' (', h('span', { 'data-testid': 'status' }, status.value), ')']),
        item.data.value
          ? h('p', ['Item ', h('span', { 'data-testid': 'item' }, item.data.value.id), ' at ', h('span', { 'data-testid': 'item-at' }, String(item.data.value.at)), ' ', h('button', { 'data-testid': 'refetch', onClick: () => void item.refetch() }, 'Refetch')])
          : h('p', 'Loading…'),
      ])
  },
})

export const LoginView = defineComponent({
  setup() {
    const route = useRoute()
    const router = useRouter()
    const signIn = async () => {
      await logIn('ada', 'secret')
      // Back to where the session ended: same-app paths only, never an open redirect.
      await router.replace(returnTo(route, '/'))
    }
    return () => h('main', { 'data-testid': 'login-page' }, [h('button', { 'data-testid': 'login', onClick: () => void signIn() }, 'Sign in as Ada')])
  },
})
