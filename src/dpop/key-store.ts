import { generateKeyPair } from './key-pair'

const DATABASE = 'axios-reauth-dpop'
const STORE = 'keys'

/** Where the DPoP key pair of one client name lives. */
export interface DpopKeyStore {
  /** The key pair: the stored one, or a new one, stored before it is first used. */
  load(): Promise<CryptoKeyPair>
}

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DATABASE, 1)
  request.onupgradeneeded = () => request.result.createObjectStore(STORE)
  return done(request)
}

const isKeyPair = (value: unknown): value is CryptoKeyPair =>
  typeof value === 'object' && value !== null && 'privateKey' in value && 'publicKey' in value

/** Stores `candidate` under `name` unless a key is already there (another tab won): returns the one that is. */
function keepFirst(db: IDBDatabase, name: string, candidate: CryptoKeyPair): Promise<CryptoKeyPair> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, 'readwrite')
    const store = transaction.objectStore(STORE)
    let kept = candidate
    const existing = store.get(name)
    existing.onsuccess = () => {
      if (isKeyPair(existing.result)) kept = existing.result
      else store.add(candidate, name)
    }
    transaction.oncomplete = () => resolve(kept)
    transaction.onerror = () => reject(transaction.error)
    transaction.onabort = () => reject(transaction.error)
  })
}

async function loadOrCreate(factory: IDBFactory, name: string): Promise<CryptoKeyPair> {
  const db = await openDatabase(factory)
  try {
    const stored = await done(db.transaction(STORE).objectStore(STORE).get(name))
    if (isKeyPair(stored)) return stored
    // The key is made outside the transaction: an IndexedDB transaction ends at the first await.
    return await keepFirst(db, name, await generateKeyPair())
  } finally {
    db.close()
  }
}

/**
 * The key store of one client name: in IndexedDB when there is one (the key pair survives
 * reloads, and every tab of the origin signs with the same key), else in memory for the life of
 * the page or process. The key is loaded once; the tabs that create one at the same moment keep
 * whichever was stored first. An IndexedDB that refuses to open (some private modes) falls back
 * to memory: proofs still work, but a reload means a new key, and so a new sign-in.
 *
 * @param name - One key per name, e.g. the app's or the API's.
 * @param factory - The IndexedDB to use. @default globalThis.indexedDB
 * @example
 * ```ts
 * const keys = createKeyStore('my-app')
 * const { privateKey } = await keys.load() // privateKey.extractable === false
 * ```
 */
export function createKeyStore(name: string, factory: IDBFactory | undefined = globalThis.indexedDB): DpopKeyStore {
  let loaded: Promise<CryptoKeyPair> | undefined
  return {
    load() {
      loaded ??= (factory ? loadOrCreate(factory, name).catch(() => generateKeyPair()) : generateKeyPair()).catch((error: unknown) => {
        // A failure (no WebCrypto) is not kept: the next proof tries again.
        loaded = undefined
        throw error
      })
      return loaded
    },
  }
}
