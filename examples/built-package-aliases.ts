import { fileURLToPath } from 'node:url'

// The examples run on the repository's built package (`npm run build`), under the names an app
// imports. An app that installed axios-reauth needs none of this.
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url))

export const builtPackageAliases = [
  { find: /^axios-reauth$/, replacement: dist('index.js') },
  { find: /^axios-reauth\/(react|vue|testing)$/, replacement: dist('$1.js') },
]
