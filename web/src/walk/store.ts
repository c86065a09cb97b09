// What the walk page keeps on the device, in IndexedDB: the caller's routes and each walk list as
// last fetched (so the walk works without a connection), and the operation log — every visit
// recorded, with its idempotency key, until the server has answered it.

const DB = 'wijkwerk-lopen';
const VERSION = 1;

export interface Visit {
  /** The idempotency key (also the record's key). */
  readonly key: string;
  readonly campaign: number;
  readonly turf: number;
  readonly address: string;
  /** How the door is named, to tell the volunteer about a conflict later. */
  readonly label: string;
  readonly outcome: string;
  readonly consent: boolean;
  readonly answers: Readonly<Record<string, string>>;
  readonly note: string;
  readonly at: string;
  /** Set when the server refused the route (`not_holder`): kept until the organiser decides. */
  readonly refused?: boolean;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('saved')) db.createObjectStore('saved');
      if (!db.objectStoreNames.contains('ops')) db.createObjectStore('ops', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available'));
  });
}

async function run<T>(store: string, mode: IDBTransactionMode, action: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = action(tx.objectStore(store));
      // Resolved once the transaction is durable, not when the request is.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  } finally {
    db.close();
  }
}

/** Keeps `value` under `key` (a walk list, the route list). */
export function save(key: string, value: unknown): Promise<IDBValidKey> {
  return run('saved', 'readwrite', (s) => s.put(value, key));
}

/** What was kept under `key`, or undefined. */
export function load<T>(key: string): Promise<T | undefined> {
  return run('saved', 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
}

/** Appends a visit to the operation log. */
export function record(visit: Visit): Promise<IDBValidKey> {
  return run('ops', 'readwrite', (s) => s.add(visit));
}

/** Every visit not answered by the server yet, oldest first. */
export async function pending(): Promise<Visit[]> {
  const all = await run('ops', 'readonly', (s) => s.getAll() as IDBRequest<Visit[]>);
  return all.sort((a, b) => a.at.localeCompare(b.at));
}

/** Removes the visits the server answered. */
export async function done(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('ops', 'readwrite');
      const s = tx.objectStore('ops');
      for (const k of keys) s.delete(k);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
  } finally {
    db.close();
  }
}

/** Marks visits as refused (the route is no longer the caller's): kept, not sent again by itself. */
export async function markRefused(visits: readonly Visit[]): Promise<void> {
  for (const v of visits) await run('ops', 'readwrite', (s) => s.put({ ...v, refused: true }));
}

/** A new idempotency key. */
export function newKey(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `v-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
