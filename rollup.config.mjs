import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'

// Each public entry: its source and its dist name. The adapters keep the root entry
// external, so the core exists once in an app that imports several entries.
const entries = [
  { input: 'src/index.ts', name: 'index' },
  // React Server Components need the directive at the top of the client entry.
  { input: 'src/react/index.ts', name: 'react', banner: "'use client';" },
  { input: 'src/vue/index.ts', name: 'vue' },
]

const isExternal = (id) => /^(axios|jwt-decode|p-queue|react|vue)(\/|$)/.test(id) || id === 'axios-reauth'

export default entries.flatMap(({ input, name, banner }) => [
  {
    input,
    external: isExternal,
    plugins: [esbuild({ target: 'es2022', jsx: 'automatic' })],
    // The 'use client' directive is re-added as a banner; rollup would warn and drop it.
    onLog(level, log, handler) {
      const aboutDirective = log.code === 'MODULE_LEVEL_DIRECTIVE' || (log.code === 'SOURCEMAP_ERROR' && /src\/react\/index\.ts$/.test(log.id ?? ''))
      if (!aboutDirective) handler(level, log)
    },
    output: [
      { file: `dist/${name}.js`, format: 'es', sourcemap: true, banner },
      { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named', banner },
    ],
  },
  {
    input,
    external: isExternal,
    plugins: [dts({ tsconfig: 'tsconfig.build.json' })],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  },
])
