// The reader's tools in a real browser: drawing a digit, a picture of one, share links that restore the view,
// exports (PNG, CSV, safetensors), the embed demo, colour scheme, reduced motion and a phone-sized screen.
//   node reader.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { frames, openSite, state, set, shot, waitFor } from './harness.mjs';
import { crop, decodePng, encodeGreyPng, inkStats, pixelHash } from './png.mjs';

const siteDir = process.argv[2];
let site;

async function open(query, options = {}) {
  const page = await site.page(options.viewport);
  if (options.media) await page.emulateMedia(options.media);
  await page.goto(site.url + query);
  await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
  return page;
}

// The first test image of `label` from the site's own test set, as 784 bytes.
function testDigit(label) {
  const images = zlib.gunzipSync(fs.readFileSync(path.join(siteDir, 'assets/mnist/t10k-images-idx3-ubyte.gz')));
  const labels = zlib.gunzipSync(fs.readFileSync(path.join(siteDir, 'assets/mnist/t10k-labels-idx1-ubyte.gz')));
  for (let i = 0; ; ++i)
    if (labels[8 + i] === label) return { index: i, pixels: images.subarray(16 + i * 784, 16 + (i + 1) * 784) };
}

// The view's pixels without the status line (its fps figure changes from frame to frame).
async function viewHash(page) {
  const png = await shot(page);
  return pixelHash(crop(png, 0, 40, png.width, png.height - 40));
}

describe("the reader's tools", () => {
  before(async () => {
    site = await openSite(siteDir);
  });
  after(async () => site.close());

  it('classifies a digit drawn with pointer events, and attacks it like the 7', async () => {
    const page = await open('?train=pretrained&view=draw');
    await page.locator('#canvas').scrollIntoViewIfNeeded();
    await frames(page, 3);
    const box = await page.locator('#canvas').boundingBox();
    const a = (await state(page)).drawing.area;
    const at = (u, v) => [box.x + a.x + u * a.width, box.y + a.y + v * a.height];
    await page.mouse.move(...at(0.5, 0.15));
    await page.mouse.down();
    for (let i = 1; i <= 20; ++i) {
      await page.mouse.move(...at(0.5, 0.15 + 0.035 * i));
      await frames(page, 1);
    }
    await page.mouse.up();
    const s = await waitFor(
      'the drawn digit',
      async () => {
        const s = await state(page);
        return s.drawing.hasDigit && s;
      },
      5000,
    );
    assert.equal(s.drawing.prediction, 1, `a vertical stroke is a 1, not ${s.drawing.prediction}`);
    const generation = s.analysisGeneration;
    assert.deepEqual(await set(page, { attackDrawing: true, target: 0 }), []);
    const o = await waitFor(
      'the overlay of the drawn digit',
      async () => {
        const o = await state(page);
        return o.customDigit && o.view === 'overlay' && o.analysisGeneration > generation && o;
      },
      5000,
    );
    assert.equal(o.prediction, 1);
    assert.ok(o.flipAlpha !== null && o.flipAlpha < 3, 'the 0-pattern flips the drawn 1 too');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('draws with a finger too (touch events)', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(site.url + '?train=pretrained&view=draw');
    await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
    await page.locator('#canvas').scrollIntoViewIfNeeded();
    await frames(page, 3);
    const box = await page.locator('#canvas').boundingBox();
    const a = (await state(page)).drawing.area;
    const cdp = await context.newCDPSession(page);
    const at = (u, v) => ({ x: box.x + a.x + u * a.width, y: box.y + a.y + v * a.height });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0.5, 0.15)] });
    await frames(page, 2);
    for (let i = 1; i <= 20; ++i) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(0.5, 0.15 + 0.035 * i)] });
      await frames(page, 1);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const s = await waitFor(
      'the drawn digit',
      async () => {
        const s = await state(page);
        return s.drawing.hasDigit && s;
      },
      5000,
    );
    assert.equal(s.drawing.prediction, 1);
    await context.close();
  });

  it('reads a picture file like MNIST, and refuses a file that is not a picture', async () => {
    const page = await open('?train=pretrained');
    const { pixels } = testDigit(3);
    // Black ink on white paper, four times the size, off-centre on a larger sheet.
    const w = 200,
      h = 160,
      sheet = Buffer.alloc(w * h, 255);
    for (let y = 0; y < 112; ++y)
      for (let x = 0; x < 112; ++x) sheet[(20 + y) * w + 60 + x] = 255 - pixels[(y >> 2) * 28 + (x >> 2)];
    await page.setInputFiles('#booksmart-picture-file', {
      name: 'three.png',
      mimeType: 'image/png',
      buffer: encodeGreyPng(sheet, w, h),
    });
    const s = await waitFor(
      'the picture',
      async () => {
        const s = await state(page);
        return s.drawing.hasDigit && s;
      },
      5000,
    );
    assert.equal(s.drawing.prediction, 3);
    assert.equal(s.drawing.fromPicture, true);
    assert.equal(s.view, 'draw');
    await page.setInputFiles('#booksmart-picture-file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a picture'),
    });
    const after = await waitFor(
      'the notice',
      async () => {
        const x = await state(page);
        return /notes\.txt/.test(x.error || '') && x;
      },
      5000,
    );
    assert.match(after.error, /drawing is unchanged/);
    assert.equal(after.drawing.prediction, 3);
    await page.close();
  });

  it('restores the same view from a shared link (pretrained model)', async () => {
    const page = await open('?train=pretrained');
    assert.deepEqual(
      await set(page, { view: 'overlay', digit: 4, target: 9, alpha: 0.42, selectedNeuron: '2:17', pattern: '2:17' }),
      [],
    );
    // The digit's first correct image is picked by the next analysis refresh: a fixed pause was too short on a
    // loaded machine (CI saw digitIndex still -1 after 400 ms).
    await waitFor('the digit picked', async () => (await state(page)).digitIndex >= 0, 30000);
    await frames(page, 5);
    const url = await page.evaluate(() => window.booksmart.shareUrl());
    const original = await state(page);
    const hash = await viewHash(page);
    const copy = await site.page();
    await copy.goto(url);
    await waitFor(
      'the shared view',
      async () => {
        const s = await state(copy);
        return s.timings.firstFigure !== undefined && s.view === 'overlay';
      },
      60000,
    );
    await frames(copy, 5);
    const restored = await state(copy);
    for (const k of [
      'view',
      'model',
      'digit',
      'digitIndex',
      'target',
      'alpha',
      'selectedNeuron',
      'pattern',
      'prediction',
      'confidence',
      'flipAlpha',
    ])
      assert.deepEqual(restored[k], original[k], k);
    assert.equal(await viewHash(copy), hash, 'the same pixels');
    await page.close();
    await copy.close();
  });

  it('replays live training to the shared step and pauses there, identically each time', async () => {
    const load = async () => {
      const page = await open('?seed=3&lr=0.05&batch=64&step=300&view=neurons&neuron=1:4');
      const s = await waitFor(
        'step 300',
        async () => {
          const s = await state(page);
          return s.step === 300 && !s.playing && s.model === 'live' && s;
        },
        120000,
      );
      // The views' last refresh after the pause: first the analysis of the final weights (the worker's last
      // report may arrive after the pause), then the portraits, which follow a training model at most every
      // 1.5 s, so wait until the view stops changing rather than for a fixed time.
      await waitFor(
        'a current analysis of the final weights',
        async () => {
          const x = await state(page);
          await frames(page, 30);
          const y = await state(page);
          return x.analysisCurrent && y.analysisCurrent && y.analysisGeneration === x.analysisGeneration;
        },
        20000,
      );
      let hash = await viewHash(page);
      for (let i = 0; i < 20; ++i) {
        await frames(page, 40);
        const next = await viewHash(page);
        if (next === hash) break;
        hash = next;
      }
      return { page, s, hash };
    };
    const a = await load(),
      b = await load();
    assert.ok(Math.abs(a.s.learningRate - 0.05) < 1e-7);
    assert.equal(a.s.batch, 64);
    assert.equal(a.s.loss, b.s.loss, 'bit-identical training');
    assert.equal(a.hash, b.hash, 'the same pixels');
    const url = new URL(await a.page.evaluate(() => window.booksmart.shareUrl()));
    assert.equal(url.searchParams.get('step'), '300');
    assert.equal(url.searchParams.get('seed'), '3');
    await a.page.close();
    await b.page.close();
  });

  it('copies the link and an embed snippet that names a sandboxed iframe', async () => {
    const context = await site.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(site.url + '?train=pretrained&view=overlay');
    await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
    await page.click('#booksmart-copy-link');
    await waitFor('the copy', async () => /copied/.test(await page.textContent('#booksmart-share-status')), 5000);
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, await page.evaluate(() => window.booksmart.shareUrl()));
    await page.click('#booksmart-copy-embed');
    await waitFor(
      'the second copy',
      async () => /Embed snippet copied/.test(await page.textContent('#booksmart-share-status')),
      5000,
    );
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?view=overlay&/);
    assert.match(snippet, /sandbox="allow-scripts allow-same-origin"/);
    await context.close();
  });

  it('exports a PNG that decodes, CSV that parses and a model that reloads', async () => {
    const page = await open('?train=pretrained&view=overlay');
    const save = async (kind) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.evaluate((k) => window.booksmart.download(k), kind),
      ]);
      return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
    };
    const png = await save('png');
    assert.equal(png.name, 'booksmart-view.png');
    const img = decodePng(png.bytes);
    const box = await page.locator('#canvas').boundingBox();
    assert.equal(img.width, Math.round(box.width));
    assert.ok(inkStats(img).colours > 50, 'the PNG shows the figure');
    const csv = await save('csv:probabilities');
    const rows = csv.bytes
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    assert.deepEqual(rows[0], ['class', 'probability']);
    assert.equal(rows.length, 11);
    assert.ok(Math.abs(rows.slice(1).reduce((t, r) => t + Number(r[1]), 0) - 1) < 1e-4, 'probabilities sum to 1');
    assert.deepEqual(await page.evaluate(() => window.booksmart.download('csv:training')), [
      'nothing to export yet: the live model has not been evaluated',
    ]);
    assert.deepEqual(await page.evaluate(() => window.booksmart.download('gif')), [
      "export must be png, model or csv:<series>, not 'gif'",
    ]);
    const model = await save('model');
    const headerLength = Number(model.bytes.readBigUInt64LE(0));
    const header = JSON.parse(model.bytes.subarray(8, 8 + headerLength).toString());
    assert.deepEqual(header['layer1.weight'].shape, [64, 784]);
    assert.ok(header['init.layer1.weight'], 'the initial weights travel with it');
    // The downloaded file is a model the page accepts again, with the same predictions.
    const before = await state(page);
    await page.setInputFiles('#booksmart-model-file', {
      name: 'again.safetensors',
      mimeType: 'application/octet-stream',
      buffer: model.bytes,
    });
    const after = await waitFor(
      'the reloaded model',
      async () => {
        const s = await state(page);
        return /again\.safetensors/.test(s.modelLabel) && s;
      },
      5000,
    );
    assert.equal(after.error, null);
    assert.deepEqual(after.probabilities, before.probabilities);
    await page.close();
  });

  it('works offline after the first visit', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url + '?train=pretrained');
    await waitFor(
      'the offline copy',
      async () =>
        page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration();
          const data = await caches.open('booksmart-data-v1');
          return !!(reg && reg.active) && (await data.keys()).length === 4;
        }),
      60000,
    );
    await context.setOffline(true);
    await page.reload();
    const s = await waitFor(
      'the page, offline',
      async () => {
        const s = await state(page);
        return s.imagesLoaded === 70000 && s.prediction >= 0 && s;
      },
      60000,
    );
    assert.equal(s.error, null);
    assert.ok(inkStats(await shot(page)).colours > 50);
    await context.close();
  });

  it('shows several views in the embed demo and drives one over postMessage', async () => {
    const page = await site.page();
    await page.goto(site.url + 'embed-demo.html');
    const frames = ['demo-neurons', 'demo-overlay', 'demo-compare'];
    for (const id of frames) {
      await page.locator('#' + id).scrollIntoViewIfNeeded(); // the iframes load lazily
      const frame = await (await page.$('#' + id)).contentFrame();
      await waitFor(
        id,
        async () =>
          frame
            .evaluate(() => !!window.booksmart && window.booksmart.state().timings.firstFigure !== undefined)
            .catch(() => false),
        60000,
      );
      assert.equal((await frame.evaluate(() => window.booksmart.state())).view, id.slice(5));
    }
    await page.locator('#demo-alpha').fill('1.2');
    await waitFor(
      'the figure to answer',
      async () => /prediction: 0/.test(await page.textContent('#demo-readout')),
      10000,
    );
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('follows the dark colour scheme and reduced motion', async () => {
    const page = await open('', { media: { colorScheme: 'dark', reducedMotion: 'reduce' } });
    const s = await state(page);
    assert.equal(s.dark, true);
    assert.equal(s.train, 'pretrained', 'no live training unless asked');
    await waitFor('all images', async () => (await state(page)).imagesLoaded === 70000, 60000);
    await frames(page, 60);
    assert.equal((await state(page)).model, 'pretrained');
    const png = await shot(page);
    let sum = 0;
    for (let i = 0; i < png.rgba.length; i += 4) sum += png.rgba[i] + png.rgba[i + 1] + png.rgba[i + 2];
    assert.ok(sum / (png.rgba.length / 4) / 3 < 110, 'a dark figure');
    await page.close();
  });

  it('can be driven by the keyboard alone, and the live region follows', async () => {
    const page = await open('?train=pretrained&view=overlay');
    // Tab from the top of the page into the figure.
    let tabs = 0;
    while (tabs < 30 && (await page.evaluate(() => document.activeElement && document.activeElement.id)) !== 'canvas') {
      await page.keyboard.press('Tab');
      ++tabs;
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas', 'Tab reaches the figure');
    // A person's key press: held 70 ms, then 50 ms until the next (a key that goes down and up between two
    // frames is never seen down). This paces the input; it waits for nothing in the app. Counting frames
    // instead (state().framesDrawn) made the walk miss keys, 2 runs of 2.
    const press = async (key, n = 1) => {
      for (let i = 0; i < n; ++i) {
        await page.keyboard.down(key);
        await new Promise((r) => setTimeout(r, 70));
        await page.keyboard.up(key);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Walk down the controls: on each, activate it (Space), nudge it (arrows) and let go (Escape).
    const start = await state(page);
    const views = new Set([start.view]);
    let s = start;
    await press('ArrowDown');
    for (let i = 0; i < 14; ++i) {
      await press('ArrowDown');
      await press('Space');
      await press('ArrowRight', 3);
      await press('Escape');
      s = await state(page);
      views.add(s.view);
    }
    assert.notEqual(s.digit, start.digit, 'the digit slider moved');
    assert.notEqual(s.target, start.target, 'the target slider moved');
    assert.ok(s.alpha > 0, 'the alpha slider moved');
    assert.ok(views.size >= 2, `the tabs changed: ${[...views]}`);
    // The neuron grid: arrows move across thumbnails, Space selects.
    assert.deepEqual(await set(page, { view: 'neurons' }), []);
    await frames(page, 3);
    const before = (await state(page)).selectedNeuron;
    await press('ArrowDown', 4);
    await press('Space');
    assert.notEqual((await state(page)).selectedNeuron, before, 'a thumbnail was selected by keyboard');
    // The screen-reader mirror follows the prediction.
    // The walk may have pressed Train: hold a fixed model, so the flip point stays where it was measured.
    const generation = (await state(page)).analysisGeneration;
    assert.deepEqual(
      await set(page, {
        playing: false,
        model: 'pretrained',
        view: 'overlay',
        digit: 7,
        target: 0,
        selectedNeuron: '3:0',
        pattern: '3:0',
        alpha: 0,
      }),
      [],
    );
    const flip = await waitFor(
      'the flip point',
      async () => {
        const x = await state(page);
        return x.analysisGeneration > generation && x.flipAlpha !== null && x;
      },
      10000,
    );
    assert.deepEqual(await set(page, { alpha: flip.flipAlpha + 0.01 }), []);
    await waitFor(
      'the live region',
      async () => /Prediction 0 with .*\(flipped\)/.test(await page.textContent('#booksmart-live')),
      5000,
    );
    await page.close();
  });

  it('fits a phone-sized screen', async () => {
    const page = await open('?train=pretrained&view=overlay', { viewport: { width: 390, height: 844 } });
    const sizes = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      canvas: document.getElementById('canvas').getBoundingClientRect().width,
    }));
    assert.ok(sizes.scroll <= 390, `the page scrolls sideways: ${sizes.scroll}px`);
    assert.ok(sizes.canvas <= 390 && sizes.canvas > 300, `canvas ${sizes.canvas}px`);
    await page.locator('#canvas').scrollIntoViewIfNeeded();
    assert.ok(inkStats(await shot(page)).colours > 50);
    await page.close();
  });
});
