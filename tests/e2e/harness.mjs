// Shared set-up for the browser tests: the site served by the project's own server, Debian's Chromium, a page
// whose console errors and failed requests are collected, and helpers to read the app's state.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from '../../scripts/serve.mjs';
import { launch, waitFor } from './browser.mjs';
import { decodePng } from './png.mjs';

export { waitFor };

export async function openSite(siteDir, { servers = 1, csp = false, handle = null } = {}) {
  const list = [];
  for (let i = 0; i < servers; ++i) list.push(await startServer({ root: siteDir, port: 0, csp, handle, quiet: true }));
  const browser = await launch();
  return {
    servers: list,
    url: list[0].url,
    browser,
    // `device`: more of the browser context's options, e.g. { hasTouch, isMobile, deviceScaleFactor }.
    async page(viewport = { width: 1200, height: 900 }, device = {}) {
      const page = await browser.newPage(Object.assign({ viewport }, device));
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) =>
        page.problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`),
      );
      return page;
    },
    async close() {
      await browser.close();
      for (const s of list) await s.close();
    },
  };
}

export const state = (target) => target.evaluate(() => window.booksmart.state());
export const set = (target, changes) => target.evaluate((c) => window.booksmart.set(c), changes);

// Waits until the app has run `n` more frames (state().framesDrawn): what a test waits for after an input or a
// scroll, so the app has drawn what follows from it, instead of a fixed time.
export async function frames(target, n = 2, ms = 10000) {
  const start = (await state(target)).framesDrawn;
  await waitFor(`${n} more frames`, async () => (await state(target)).framesDrawn >= start + n, ms, 16);
}

// The same FNV-1a as the app's bs_data_checksum, over the items (everything after the IDX header) of a
// dataset's four gzipped files in `dir`: what window.booksmart.checksum() says once they have all arrived.
export function datasetChecksum(dir) {
  let h = 2166136261;
  for (const name of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    const raw = zlib.gunzipSync(fs.readFileSync(path.join(dir, name + '.gz')));
    for (let i = 4 + 4 * raw[3]; i < raw.length; ++i) h = Math.imul(h ^ raw[i], 16777619) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export async function shot(target) {
  const el = await target.$('#booksmart-frame');
  return decodePng(await el.screenshot());
}
