// The walk page's service worker: keeps the page (/lopen), its scripts and styles, the manifest
// and the icons, so that a volunteer can open the page again without a connection. The data (the
// walk list, the visits not yet sent) the page keeps itself, in IndexedDB; API answers are never
// cached here.
const CACHE = 'wijkwerk-lopen-v1';
const SHELL = ['/lopen', '/lopen.webmanifest', '/lopen-192.png', '/lopen-512.png'];

async function shell() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  // The page's own assets (content-hashed names): read them from the page itself.
  const page = await (await fetch('/lopen', { cache: 'no-store' })).text();
  const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(shell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/tiles/') || url.pathname.startsWith('/ogc/')) return;
  if (url.pathname.startsWith('/assets/')) {
    // Content-hashed: a cached copy is always right.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(CACHE).then((c) => c.put(request, copy));
            }
            return response;
          }),
      ),
    );
    return;
  }
  // Pages: the network first (a new version), the copy when offline.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && (url.pathname === '/lopen' || url.pathname === '/lopen.html')) {
          const copy = response.clone();
          void caches.open(CACHE).then((c) => c.put('/lopen', copy));
        }
        return response;
      })
      .catch(async () => (await caches.match(request)) ?? (await caches.match('/lopen')) ?? Response.error()),
  );
});
