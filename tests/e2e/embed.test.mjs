// embed.html inside a cross-origin iframe (the parent page on one port, the embed on another), sandboxed the
// way bloggers do, under a strict Content-Security-Policy: it shows the chosen view, takes its state from the
// URL, answers postMessage, and asks nothing of any other origin.   node embed.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { openSite, shot, waitFor } from './harness.mjs';
import { inkStats, pixelHash } from './png.mjs';

const siteDir = process.argv[2];
let site, parentServer, page, frame, embedOrigin, tmp;
const foreign = [];

// Sends one message to the iframe from the parent and waits for the answer with the same id.
function ask(message) {
  return page.evaluate(
    (msg) =>
      new Promise((resolve) => {
        const id = Math.random();
        window.addEventListener('message', function on(e) {
          if (e.data && e.data.id === id) {
            window.removeEventListener('message', on);
            resolve(e.data);
          }
        });
        document.querySelector('iframe').contentWindow.postMessage(Object.assign({ id }, msg), '*');
      }),
    message,
  );
}

describe('the embed in a cross-origin iframe', () => {
  before(async () => {
    site = await openSite(siteDir, { csp: true });
    embedOrigin = new URL(site.url).origin;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'booksmart-parent-'));
    fs.writeFileSync(
      path.join(tmp, 'index.html'),
      `<!doctype html><title>A blog post</title><link rel="icon" href="data:,"><p>Some prose.</p>
<iframe src="${site.url}embed.html?view=overlay&alpha=0.25&neuron=2:7&train=pretrained" width="720" height="560"
 sandbox="allow-scripts allow-same-origin" title="Booksmart"></iframe>`,
    );
    parentServer = await startServer({ root: tmp, port: 0, quiet: true });
    page = await site.page({ width: 900, height: 700 });
    page.on('request', (r) => {
      const origin = new URL(r.url()).origin;
      if (r.frame() !== page.mainFrame() && origin !== embedOrigin) foreign.push(r.url());
    });
    await page.goto(parentServer.url);
    frame = await waitFor('the iframe', async () => page.frames().find((f) => f.url().startsWith(embedOrigin)), 10000);
    await waitFor(
      'the embed to be ready',
      async () => frame.evaluate(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined),
      30000,
    );
  });
  after(async () => {
    await site.close();
    await parentServer.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('takes its view and state from the URL', async () => {
    const s = await frame.evaluate(() => window.booksmart.state());
    assert.equal(s.embed, true);
    assert.equal(s.view, 'overlay');
    assert.equal(s.alpha, 0.25);
    assert.equal(s.selectedNeuron, '2:7');
    assert.equal(s.train, 'pretrained');
  });

  it('fills its iframe', async () => {
    const box = await frame.evaluate(() => {
      const r = document.getElementById('canvas').getBoundingClientRect();
      return [r.width, r.height];
    });
    assert.deepEqual(box, [720, 560]);
  });

  it('presents a frame only when its picture changes, and keeps showing the last one meanwhile', async () => {
    const st = () => frame.evaluate(() => window.booksmart.state());
    const still = await waitFor(
      'a still figure',
      async () => {
        const a = await st();
        await new Promise((r) => setTimeout(r, 1500));
        const b = await st();
        // The status line's frame rate may change once a second; nothing else on this figure moves.
        return b.framesDrawn > a.framesDrawn + 20 && b.framesPresented - a.framesPresented <= 2 && b;
      },
      30000,
    );
    assert.ok(still.framesPresented > 0);
    const png = await shot(frame);
    const ink = inkStats(png);
    assert.ok(ink.ink > 0.2 && ink.colours > 50, `the still figure looks empty: ${JSON.stringify(ink)}`);
    await frame.evaluate(() => window.booksmart.set({ alpha: 0.3 }));
    await waitFor('the new blend on screen', async () => pixelHash(await shot(frame)) !== pixelHash(png), 5000);
    await frame.evaluate(() => window.booksmart.set({ alpha: 0.25 }));
  });

  it('answers get and set over postMessage from another origin', async () => {
    const got = await ask({ type: 'booksmart:get' });
    assert.equal(got.type, 'booksmart:state');
    assert.equal(got.state.view, 'overlay');
    const res = await ask({ type: 'booksmart:set', changes: { alpha: 0.5, view: 'neurons' } });
    assert.deepEqual(res.errors, []);
    assert.equal(res.state.alpha, 0.5);
    assert.equal(res.state.view, 'neurons');
    const bad = await ask({ type: 'booksmart:set', changes: { view: '<script>alert(1)</script>' } });
    assert.equal(bad.errors.length, 1);
    assert.equal(bad.state.view, 'neurons');
  });

  it('ignores commands from anything but its embedding parent', async () => {
    const answered = await frame.evaluate(
      () =>
        new Promise((resolve) => {
          window.addEventListener('message', (e) => {
            if (e.data && e.data.type === 'booksmart:result') resolve(true);
          });
          window.postMessage({ type: 'booksmart:set', id: 7, changes: { alpha: 2.5 } }, '*');
          setTimeout(() => resolve(false), 1500);
        }),
    );
    assert.equal(answered, false);
    assert.notEqual((await frame.evaluate(() => window.booksmart.state())).alpha, 2.5);
  });

  it('shows invalid URL values as a notice and ignores them', async () => {
    const p2 = await site.page();
    await p2.goto(`${site.url}embed.html?view=overlay&neuron=-1&alpha=NaN`);
    await waitFor(
      'the embed',
      async () => p2.evaluate(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined),
      30000,
    );
    const s = await p2.evaluate(() => window.booksmart.state());
    assert.equal(s.view, 'overlay');
    assert.equal(s.alpha, 0);
    assert.match(s.error, /neuron/);
    assert.match(s.error, /alpha/);
    await p2.close();
  });

  it('requests nothing from other origins and logs no errors (under a strict CSP)', async () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(page.problems, []);
  });
});
