// `npm run build` starts from an empty dist/: chunk names carry a content hash, so the chunks of an
// earlier build would stay beside the new ones and go into the published tarball.
import { rmSync } from 'node:fs'

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
