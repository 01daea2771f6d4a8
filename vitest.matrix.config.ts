import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

// The runs beside the main one (vitest.config.ts), each with its own resolution:
// - built: the testing entry's tests against dist/, as an app loads the published package;
// - react-18 and vue-3.3: the adapters' tests against the oldest supported React and Vue.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const srcAliases = [
  { find: /^axios-reauth$/, replacement: here('./src/index.ts') },
  { find: /^axios-reauth\/(.*)$/, replacement: here('./src/$1/index.ts') },
]
const react18 = (path: string) => here(`./tests/react-18/node_modules/${path}`)
// The test libraries import react, react-dom and vue themselves: taken as ES modules and inlined,
// their imports go through the aliases too, so only the old version is loaded, never the root's.
const testingLibraryReact = here('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js')
const vueTestUtils = here('./node_modules/@vue/test-utils/dist/vue-test-utils.esm-bundler.mjs')
const inline = { deps: { inline: [/@testing-library[\\/]react/, /@vue[\\/]test-utils/] } }

export default defineConfig({
  test: {
    reporters: ['default', './vitest.summary-reporter.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      {
        resolve: {
          alias: [
            { find: /^axios-reauth$/, replacement: here('./dist/index.js') },
            { find: /^axios-reauth\/(.*)$/, replacement: here('./dist/$1.js') },
          ],
        },
        test: { name: 'built', include: ['tests/testing/**/*.test.ts'], exclude: configDefaults.exclude },
      },
      {
        resolve: {
          alias: [
            ...srcAliases,
            { find: /^@testing-library\/react$/, replacement: testingLibraryReact },
            { find: /^react$/, replacement: react18('react/index.js') },
            { find: /^react\/jsx-runtime$/, replacement: react18('react/jsx-runtime.js') },
            { find: /^react\/jsx-dev-runtime$/, replacement: react18('react/jsx-dev-runtime.js') },
            { find: /^react-dom$/, replacement: react18('react-dom/index.js') },
            { find: /^react-dom\/client$/, replacement: react18('react-dom/client.js') },
            { find: /^react-dom\/server$/, replacement: react18('react-dom/server.node.js') },
            { find: /^react-dom\/test-utils$/, replacement: react18('react-dom/test-utils.js') },
          ],
        },
        test: { name: 'react-18', include: ['tests/react/**/*.test.tsx', 'tests/supported/react-version.test.tsx'], server: inline, env: { EXPECTED_REACT: '18' } },
      },
      {
        resolve: {
          alias: [
            ...srcAliases,
            { find: /^@vue\/test-utils$/, replacement: vueTestUtils },
            { find: /^vue$/, replacement: here('./node_modules/vue-33/index.mjs') },
            { find: /^@vue\/server-renderer$/, replacement: here('./node_modules/vue-33/server-renderer/index.mjs') },
            { find: /^vue\/server-renderer$/, replacement: here('./node_modules/vue-33/server-renderer/index.mjs') },
          ],
        },
        test: { name: 'vue-3.3', include: ['tests/vue/**/*.test.ts', 'tests/supported/vue-version.test.ts'], server: inline, env: { EXPECTED_VUE: '3.3' } },
      },
    ],
  },
})
