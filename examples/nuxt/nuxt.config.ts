import { fileURLToPath } from 'node:url'

// The example uses the repository's built package (`npm run build` first); an app that
// installed axios-reauth needs no alias.
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

const moduleSyncFiles = ['async-function', 'async-generator-function', 'generator-function'].map((name) =>
  fileURLToPath(new URL('require.mjs', import.meta.resolve(`${name}/package.json`))),
)

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  telemetry: false,
  devtools: { enabled: false },
  alias: { 'axios-reauth/vue': dist('vue.js'), 'axios-reauth': dist('index.js') },
  runtimeConfig: { public: { apiUrl: 'http://127.0.0.1:4000' } },
  // axios needs form-data in Node, and below it three packages that Node 20.19+ loads as
  // require.mjs (the module-sync condition), a file the server's tracer does not copy: every
  // render would fail with "Cannot find module …/require.mjs". So those files are traced too.
  nitro: { externals: { traceInclude: moduleSyncFiles } },
})
