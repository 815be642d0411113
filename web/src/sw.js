/* Service worker of Si Pelawan & Si Ketawai (built into /sw.js by vite.config.ts).
 *
 * Caches the app shell of this build so the app opens without a connection.
 * It never answers an /api/ request from a cache and never stores one: an
 * attendance answer must always be the server's, fresh. Check-ins made while
 * offline are kept by the page (src/lib/offlineQueue.ts), not here. */
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__VERSION__;
const CACHE = `sipk-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("sipk-shell-") && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return; // network only
  if (request.mode === "navigate") {
    // Network first (a new deploy shows at once), the cached shell when offline.
    event.respondWith(
      fetch(request).catch(async () =>
        (await caches.match("/", { cacheName: CACHE })) ||
        (await caches.match("/offline.html", { cacheName: CACHE })) ||
        Response.error()),
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    // Hashed assets never change under their name: the cache is enough.
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)),
    );
  }
});
