import { fileURLToPath } from 'node:url'

// The example uses the repository's built package (run `npm run build` first); an app that
// installed axios-reauth from npm needs none of this.
const dist = (file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

/** @type {import('next').NextConfig} */
export default {
  // scripts/examples.mjs type-checks the example with tsc before it builds it.
  typescript: { ignoreBuildErrors: true },
  webpack(config) {
    config.resolve.alias = {
      ...config.resolve.alias,
      'axios-reauth$': dist('index.js'),
      'axios-reauth/react$': dist('react.js'),
    }
    return config
  },
}
