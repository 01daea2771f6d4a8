import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^axios-reauth$/, replacement: src('index.ts') },
      { find: /^axios-reauth\/(.*)$/, replacement: src('$1/index.ts') },
    ],
  },
  test: {
    reporters: ['default', './vitest.summary-reporter.ts'],
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // The testing entry is tested against dist/ only, by vitest.matrix.config.ts.
    exclude: [...configDefaults.exclude, 'tests/testing/**'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
