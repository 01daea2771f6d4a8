// Typos within this many edits (or a third of the key's length, if more) count as close.
const MIN_EDITS = 2
// A shared start this long says the same thing (`leewayMs` for `leewaySeconds`).
const SHARED_PREFIX = 5

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]!
}

const sharedPrefixLength = (a: string, b: string): number => {
  let length = 0
  while (length < a.length && a[length] === b[length]) length += 1
  return length
}

/**
 * Finds the known key that an unknown one was most likely meant to be: the same key in another
 * case, a short typo, a part of it (`leeway`, `timeout`), or one with the same start.
 *
 * @param unknown - The key that was given.
 * @param known - The keys that exist.
 * @returns The closest known key, or `undefined` when none is close.
 * @example
 * ```ts
 * closestKey('leeway', ['leewaySeconds', 'refresh']) // 'leewaySeconds'
 * ```
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const given = unknown.toLowerCase()
  let best: { key: string; distance: number } | undefined
  for (const key of known) {
    const candidate = key.toLowerCase()
    const distance = editDistance(given, candidate)
    const isClose =
      distance <= Math.max(MIN_EDITS, Math.floor(given.length / 3)) ||
      (given.length >= 4 && candidate.includes(given)) ||
      sharedPrefixLength(given, candidate) >= SHARED_PREFIX
    if (isClose && (!best || distance < best.distance)) best = { key, distance }
  }
  return best?.key
}
