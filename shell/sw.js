// Booksmart's service worker: after the first visit the page works with no network.
//   The page itself (HTML, scripts, WebAssembly, style, pretrained model, sample digits) is precached when the
//   worker installs and then served network-first: online readers always get the current version, offline
//   readers the last one they saw.
//   The datasets (MNIST, Fashion-MNIST) are immutable (pinned by checksum): the page stores each file in the
//   data cache once it has streamed in whole, and it is served from there first.
'use strict';

const SHELL = 'booksmart-shell-v1';
const DATA = 'booksmart-data-v1';
const SHELL_FILES = [
  './',
  'index.html',
  'embed.html',
  'embed-demo.html',
  'booksmart.js',
  'article.js',
  'story.js',
  'booksmart-wasm.js',
  'booksmart-wasm.wasm',
  'trainer-worker.js',
  'booksmart-trainer.js',
  'booksmart-trainer.wasm',
  'page.css',
  'embed-demo.js',
  'assets/pretrained.safetensors',
  'assets/trial.json',
  'assets/trial-summary.json',
  'assets/mnist/samples-images-idx3-ubyte.gz',
  'assets/mnist/samples-labels-idx1-ubyte.gz',
  'assets/pretrained-fashion.safetensors',
  'assets/fashion/samples-images-idx3-ubyte.gz',
  'assets/fashion/samples-labels-idx1-ubyte.gz',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('booksmart-') && k !== SHELL && k !== DATA).map((k) => caches.delete(k)),
        ),
      ),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok && request.method === 'GET') cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (/\/assets\/(mnist|fashion)\//.test(url.pathname) && !url.pathname.includes('/samples-')) {
    event.respondWith(
      caches
        .open(DATA)
        .then((c) => c.match(event.request))
        .then((hit) => hit || fetch(event.request)),
    );
    return;
  }
  event.respondWith(networkFirst(event.request));
});
