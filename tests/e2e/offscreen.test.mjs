// Several embeds in one article, as a blog would have them: an embed scrolled out of view draws and computes
// nothing and resumes where it was, and an embed of the pretrained model downloads the training set only when
// something in it needs it.   node offscreen.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { openSite, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
let site, parentServer, page, tmp;
const trainRequests = { live: 0, neurons: 0, overlay: 0 }; // training-set downloads, by embed

const frameOf = (id) => page.frames().find((f) => f.name() === id);
const embedState = (id) => frameOf(id).evaluate(() => window.booksmart.state());
const scrollTo = (id) => page.evaluate((i) => document.getElementById(i).scrollIntoView({ block: 'center' }), id);
// A window of time in which nothing may happen (no frame, no step, no worker): what a test of stillness
// measures over. Nothing waits on it for the app to get somewhere.
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// Asks embed `id` over postMessage, as its parent page would.
function ask(id, changes) {
  return page.evaluate(
    ([i, c]) =>
      new Promise((resolve) => {
        const msgId = Math.random();
        window.addEventListener('message', function on(e) {
          if (e.data && e.data.id === msgId) {
            window.removeEventListener('message', on);
            resolve(e.data);
          }
        });
        document.getElementById(i).contentWindow.postMessage({ type: 'booksmart:set', id: msgId, changes: c }, '*');
      }),
    [id, changes],
  );
}

describe('embeds out of view', () => {
  before(async () => {
    site = await openSite(siteDir);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'booksmart-blog-'));
    const frame = (
      id,
      query,
    ) => `<iframe id="${id}" name="${id}" src="${site.url}embed.html?${query}" width="420" height="460"
 sandbox="allow-scripts allow-same-origin" title="Booksmart ${id}"></iframe>`;
    // Two embeds side by side in view at the start (one trains, one shows the pretrained model), one far below.
    fs.writeFileSync(
      path.join(tmp, 'index.html'),
      `<!doctype html><title>A blog post</title><link rel="icon" href="data:,">
<p>Some prose.</p>${frame('live', 'view=training')}${frame('overlay', 'view=overlay&train=pretrained')}
<div style="height:1600px">More prose.</div>
${frame('neurons', 'view=neurons&train=pretrained')}<div style="height:1600px">The end.</div>`,
    );
    parentServer = await startServer({ root: tmp, port: 0, quiet: true });
    page = await site.page({ width: 900, height: 700 });
    page.on('request', (r) => {
      if (!r.url().includes('train-images')) return;
      const owner = Object.keys(trainRequests).find((id) => r.frame().name() === id);
      if (owner) ++trainRequests[owner];
    });
    await page.goto(parentServer.url);
    for (const id of Object.keys(trainRequests)) {
      await waitFor(
        'embed ' + id,
        async () =>
          frameOf(id) &&
          frameOf(id)
            .evaluate(() => !!window.booksmart && !!window.booksmart.ready)
            .catch(() => false),
        30000,
      );
      await frameOf(id).evaluate(() => window.booksmart.ready);
    }
  });
  after(async () => {
    await site.close();
    await parentServer.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('trains the embed in view and leaves the one out of view still', async () => {
    await waitFor('training in the visible embed', async () => (await embedState('live')).step > 50, 60000);
    await waitFor(
      'the visible pretrained embed to draw',
      async () => (await embedState('overlay')).timings.firstFigure !== undefined,
      30000,
    );
    const before = await embedState('neurons');
    await pause(1000);
    const later = await embedState('neurons');
    assert.equal(later.onscreen, false);
    assert.equal(later.framesDrawn, before.framesDrawn, 'no frame out of view');
    assert.equal((await embedState('overlay')).onscreen, true);
  });

  it('stops an embed scrolled out of view and resumes it where it was', async () => {
    await scrollTo('neurons');
    await waitFor(
      'the neurons embed to draw',
      async () => (await embedState('neurons')).timings.firstFigure !== undefined,
      30000,
    );
    const stopped = await waitFor(
      'the live embed to stop',
      async () => {
        const s = await embedState('live');
        return !s.onscreen && s;
      },
      5000,
    );
    await pause(1500);
    const still = await embedState('live');
    assert.equal(still.step, stopped.step, 'no training out of view');
    assert.equal(still.framesDrawn, stopped.framesDrawn, 'no frames out of view');
    await scrollTo('live');
    const resumed = await waitFor(
      'training again',
      async () => {
        const s = await embedState('live');
        return s.step > still.step && s;
      },
      10000,
    );
    assert.equal(resumed.onscreen, true);
    assert.ok(resumed.framesDrawn > still.framesDrawn);
    assert.ok(resumed.epoch >= still.epoch, 'the same run, not a new one');
  });

  it('downloads the training set only for the embeds that need it', async () => {
    assert.ok(trainRequests.live > 0, 'the training embed streams it');
    for (const id of ['overlay', 'neurons']) {
      // one in view from the start, one drawn after scrolling
      assert.equal(trainRequests[id], 0, id);
      const s = await embedState(id);
      assert.equal(s.trainingSetWanted, false, id);
      assert.equal(s.trainImages, 0, id);
      assert.ok(s.testImages > 0, id + ': the test set is there for its figures');
    }
  });

  it('starts the download when a view that reads training images is asked for', async () => {
    await scrollTo('neurons');
    const res = await ask('neurons', { view: 'subspace' });
    assert.deepEqual(res.errors, []);
    await waitFor(
      'training images in the neurons embed',
      async () => (await embedState('neurons')).trainImages > 0,
      30000,
    );
    assert.ok(trainRequests.neurons > 0);
    assert.equal(trainRequests.overlay, 0, 'the other pretrained embed still does not');
    await pause(1000); // the page checks for the worker four times a second
    const s = await embedState('neurons');
    assert.equal(s.trainingSetForWorker, false, "nothing trains: the page's own copy is the only one");
    assert.equal(s.workerHeapBytes, 0, 'no worker holds a second copy');
  });

  it('requests no animation frame from embeds out of view in a page of their own origin', async () => {
    // Chromium already throttles cross-origin frames out of view; a blog on the figures' own origin (the demo
    // article) relies on the embeds themselves. A pending animation frame alone keeps the browser painting.
    const demo = await site.page({ width: 1200, height: 900 });
    await demo.goto(site.url + 'embed-demo.html');
    const embeds = () => demo.frames().filter((f) => f !== demo.mainFrame());
    await waitFor(
      'the three embeds',
      async () =>
        embeds().length === 3 &&
        (
          await Promise.all(
            embeds().map((f) => f.evaluate(() => !!window.booksmart && !!window.booksmart.ready).catch(() => false)),
          )
        ).every(Boolean),
      30000,
    );
    await demo.evaluate(() => {
      const spacer = document.createElement('div');
      spacer.style.height = '4000px';
      document.body.appendChild(spacer);
      window.scrollTo(0, document.body.scrollHeight);
    });
    await waitFor(
      'every embed out of view',
      async () =>
        (await Promise.all(embeds().map((f) => f.evaluate(() => window.booksmart.state().onscreen)))).every(
          (on) => !on,
        ),
      5000,
    );
    // Settled: no embed has had an animation frame for a second (a frame asked for before it left the view
    // may still come).
    await waitFor(
      'every embed out of view to have stopped painting',
      async () =>
        (await Promise.all(embeds().map((f) => f.evaluate(() => window.booksmart.state().rafFps)))).every(
          (fps) => fps === 0,
        ),
      10000,
    );
    const countRequests = () =>
      Promise.all(
        embeds().map((f) =>
          f.evaluate(() => {
            window.rafRequests = 0;
            const request = window.requestAnimationFrame.bind(window);
            window.requestAnimationFrame = (fn) => {
              ++window.rafRequests;
              return request(fn);
            };
          }),
        ),
      );
    await countRequests();
    await pause(1000);
    const requests = await Promise.all(embeds().map((f) => f.evaluate(() => window.rafRequests)));
    assert.deepEqual(requests, [0, 0, 0], 'animation frames requested in one second out of view');
    assert.deepEqual(
      await Promise.all(embeds().map((f) => f.evaluate(() => window.booksmart.state().rafFps))),
      [0, 0, 0],
    );
    await demo.evaluate(() => document.getElementById('demo-overlay').scrollIntoView({ block: 'center' }));
    const overlay = embeds().find((f) => f.url().includes('view=overlay'));
    await waitFor(
      'the overlay embed painting again',
      async () => (await overlay.evaluate(() => window.booksmart.state().rafFps)) > 5,
      10000,
    );
    assert.deepEqual(demo.problems, []);
    await demo.close();
  });

  it('logs no errors', () => {
    assert.deepEqual(page.problems, []);
  });
});
