// The figure at every width a reader brings, from a 320 px phone to a desktop: each view lays itself out for the
// width it has (nothing scrolls sideways, in the page or inside the figure), its text is real type at a readable
// size rasterised at the screen's pixel ratio, and a finger's targets are big enough.
//   node layout.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { frames, openSite, state, set, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
let site;
const VIEWS = ['neurons', 'overlay', 'draw', 'subspace', 'attacks', 'robustness', 'trial', 'compare', 'training'];

async function open(viewport, device) {
  const page = await site.page(viewport, device);
  // Opened on the Subspace view, which finds the training set's directions (the Attacks view needs them too).
  await page.goto(site.url + '?train=pretrained&view=subspace');
  await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
  // The Subspace and Attacks views lay out their pictures only once the training set's directions are found.
  await waitFor('the data subspace', async () => (await state(page)).subspace?.ready, 120000, 500);
  return page;
}

// Each view at the page's current width: what overflows, if anything.
async function checkViews(page, width) {
  const problems = [];
  for (const view of VIEWS) {
    assert.deepEqual(await set(page, { view }), []);
    await frames(page, 5); // ImGui measures content as it draws: a few frames
    // A view whose content grows (a survey filling in) may gain a scrollbar, and its content takes one more
    // frame to fit the narrower space: the width must settle within sixty frames.
    let s = await state(page);
    for (let i = 0; i < 10 && s.layout.contentWidth > s.layout.visibleWidth + 0.5; ++i) {
      await frames(page, 6);
      s = await state(page);
    }
    const page_ = await page.evaluate(() => {
      const r = document.getElementById('booksmart-frame').getBoundingClientRect();
      return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, left: r.left, right: r.right };
    });
    const where = `${view} at ${width} px`;
    if (page_.scroll > page_.inner)
      problems.push(`${where}: the page scrolls sideways (${page_.scroll} px in ${page_.inner})`);
    if (page_.left < -0.5 || page_.right > page_.inner + 0.5)
      problems.push(
        `${where}: the figure spans ${page_.left.toFixed(0)}-${page_.right.toFixed(0)} px of ${page_.inner}`,
      );
    if (s.layout.contentWidth > s.layout.visibleWidth + 0.5)
      problems.push(
        `${where}: content ${s.layout.contentWidth.toFixed(0)} px wide in ${s.layout.visibleWidth.toFixed(0)} px`,
      );
    if (s.font.pixels < 12) problems.push(`${where}: text at ${s.font.pixels} px`);
    if (width < 600) {
      const small = s.layout.touchZones.filter((z) => z.itemHeight < 39.5);
      if (small.length)
        problems.push(`${where}: ${small.length} slider(s) under 40 px tall (${small[0].itemHeight.toFixed(0)} px)`);
    }
  }
  return problems;
}

describe('the figure at every width', () => {
  before(async () => {
    site = await openSite(siteDir);
  });
  after(async () => site.close());

  it('fits 320 and 390 px phones, every view, with fingertip-sized sliders', async () => {
    const page = await open({ width: 390, height: 844 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 3 });
    const problems = await checkViews(page, 390);
    await page.setViewportSize({ width: 320, height: 640 });
    await frames(page, 3);
    problems.push(...(await checkViews(page, 320)));
    assert.deepEqual(problems, []);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('fits 768 and 1280 px screens, every view', async () => {
    const page = await open({ width: 1280, height: 900 });
    const problems = await checkViews(page, 1280);
    await page.setViewportSize({ width: 768, height: 1024 });
    await frames(page, 3);
    problems.push(...(await checkViews(page, 768)));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("rasterises the font at the screen's pixel ratio, and again when the ratio changes", async () => {
    const page = await site.page({ width: 1000, height: 800 });
    await page.goto(site.url + '?train=pretrained&view=overlay');
    await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
    assert.equal((await state(page)).font.atlasScale, 1);
    const cdp = await page.context().newCDPSession(page);
    for (const ratio of [2, 3, 1]) {
      // As when the window moves to another screen: same CSS size, another ratio.
      await cdp.send('Emulation.setDeviceMetricsOverride', {
        width: 1000,
        height: 800,
        deviceScaleFactor: ratio,
        mobile: false,
      });
      const s = await waitFor(
        `the atlas at ${ratio}x`,
        async () => {
          const s = await state(page);
          return s.font.atlasScale === ratio && s;
        },
        5000,
      );
      assert.ok(s.font.pixels >= 15, `text is ${s.font.pixels} CSS px`);
      const canvas = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { w: c.width, css: c.getBoundingClientRect().width };
      });
      assert.ok(
        Math.abs(canvas.w - canvas.css * ratio) <= ratio,
        `the drawing buffer is ${canvas.w} px for ${canvas.css} CSS px at ${ratio}x`,
      );
    }
    await page.close();
  });
});
