// The article page in headless Chromium: it starts without errors, draws, streams all of MNIST, trains past
// 95 %, flips the 7, and follows the reader's neuron selection.   node page.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { frames, openSite, state, set, shot, waitFor } from './harness.mjs';
import { crop, inkStats, pixelHash } from './png.mjs';

// The figure below the status line (whose fps counter changes every frame).
const viewHash = (png) => pixelHash(crop(png, 0, 60, png.width, png.height - 60));

const siteDir = process.argv[2];
let site, page;

describe('the article page', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page();
    await page.goto(site.url);
  });
  after(async () => {
    if (page) console.log('# timings (ms from page start):', JSON.stringify((await state(page)).timings));
    await site.close();
  });

  it("shows the pretrained model's figures within seconds, before MNIST has streamed", async () => {
    const s = await waitFor(
      'the first figure',
      async () => {
        const s = await state(page);
        return s.timings.firstFigure !== undefined && s;
      },
      30000,
      50,
    );
    assert.ok(s.hasPretrained, 'the pretrained model was loaded');
    assert.ok(s.timings.firstFigure < 10000, `first figure after ${s.timings.firstFigure} ms`);
  });

  it('draws the interface on the canvas', async () => {
    const { ink, colours } = inkStats(await shot(page));
    assert.ok(ink > 0.2, `only ${(100 * ink).toFixed(1)} % of the figure differs from its background`);
    assert.ok(colours > 50, `only ${colours} colours drawn`);
  });

  it('streams all 70,000 images', async () => {
    await waitFor('imagesLoaded = 70000', async () => (await state(page)).imagesLoaded === 70000, 120000);
    const s = await state(page);
    assert.equal(s.trainImages, 60000);
    assert.equal(s.testImages, 10000);
  });

  it('trains live past 95 % test accuracy', async () => {
    const s = await waitFor(
      'test accuracy >= 95 %',
      async () => {
        const s = await state(page);
        return s.model === 'live' && s.testAccuracy >= 0.95 && s.testAccuracyImages === 10000 && s;
      },
      300000,
      500,
    );
    assert.equal(s.phase, 'training');
    assert.ok(s.fps > 1, `fps ${s.fps}`);
    console.log(
      `# live training: ${(100 * s.testAccuracy).toFixed(2)} % after ${s.epoch.toFixed(2)} epochs, ${s.fps.toFixed(0)} fps, ${s.imagesPerSecond.toFixed(0)} images/s`,
    );
  });

  it('flips the 7 to a 0 once alpha passes the flip point', async () => {
    assert.deepEqual(await set(page, { playing: false, view: 'overlay' }), []);
    // The worker may have sent a report or two before it saw the pause: wait until the figures (the flip
    // point among them) describe the model the prediction is made with, and stay so.
    await waitFor(
      'a current analysis of the paused model',
      async () => {
        const a = await state(page);
        await frames(page, 30);
        const b = await state(page);
        return a.analysisCurrent && b.analysisCurrent && b.analysisGeneration === a.analysisGeneration;
      },
      20000,
    );
    const before = await state(page);
    assert.equal(before.digit, 7);
    assert.equal(before.prediction, 7, 'the chosen 7 is classified correctly at alpha 0');
    assert.equal(before.alpha, 0);
    assert.notEqual(before.flipAlpha, null, 'the 0-pattern has a flip point');
    assert.deepEqual(await set(page, { alpha: before.flipAlpha + 0.01 }), []);
    const after = await state(page);
    assert.equal(after.prediction, 0);
    assert.ok(after.confidence > 0.3, `confidence ${after.confidence}`);
    assert.equal(after.confidence, after.probabilities[0]);
  });

  it('changes both large images when another neuron is selected', async () => {
    // The view is drawn from its portraits once they are the selected neuron's (state().portraitsCurrent).
    const drawn = async () => {
      await waitFor('the portraits of the selected neuron', async () => (await state(page)).portraitsCurrent, 20000);
      await frames(page, 3);
    };
    assert.deepEqual(await set(page, { view: 'neurons', selectedNeuron: '3:0' }), []);
    await drawn();
    const a = viewHash(await shot(page));
    await frames(page, 30);
    assert.equal(viewHash(await shot(page)), a, 'the paused view is stable');
    assert.deepEqual(await set(page, { selectedNeuron: '1:5' }), []);
    await drawn();
    assert.notEqual(viewHash(await shot(page)), a);
    assert.equal((await state(page)).selectedNeuron, '1:5');
  });

  it('refuses bad settings with a message and keeps the state', async () => {
    const errors = await set(page, { alpha: 'NaN', selectedNeuron: '-1' });
    assert.equal(errors.length, 2);
    assert.equal((await state(page)).selectedNeuron, '1:5');
  });

  it('logged no console errors and no failed requests', async () => {
    assert.deepEqual(page.problems, []);
  });
});
