import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'

// Each public entry: its source and its dist name. Adapters (later) keep the root entry
// external, so the core exists once in an app that imports several entries.
const entries = [{ input: 'src/index.ts', name: 'index' }]

const isExternal = (id) => /^(axios|jwt-decode|p-queue|react|vue)(\/|$)/.test(id) || id === 'axios-reauth'

export default entries.flatMap(({ input, name }) => [
  {
    input,
    external: isExternal,
    plugins: [esbuild({ target: 'es2022' })],
    output: [
      { file: `dist/${name}.js`, format: 'es', sourcemap: true },
      { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
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
