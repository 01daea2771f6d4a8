import { fileURLToPath } from 'node:url'

// The example uses the repository's built package (`npm run build` first); an app that
// installed axios-reauth needs no alias.
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  telemetry: false,
  devtools: { enabled: false },
  alias: { 'axios-reauth/vue': dist('vue.js'), 'axios-reauth': dist('index.js') },
  runtimeConfig: { public: { apiUrl: 'http://127.0.0.1:4000' } },
})
