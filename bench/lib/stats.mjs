/** The median of a list of numbers (`NaN` when empty). */
export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Lets every pending microtask and I/O callback run (held requests park in microtasks). */
export const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve))

/** Full garbage collection, twice so that weak references and finalizers are processed too. */
export function collectGarbage() {
  globalThis.gc?.()
  globalThis.gc?.()
}
