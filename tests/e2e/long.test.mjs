// A long session in the page: 50 epochs of live training. The WebAssembly heap does not grow once the data is
// in, and the frame rate at the end is not worse than early on.   node long.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, state, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
let site, page;

describe('fifty epochs in the page', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page();
    await page.goto(site.url);
  });
  after(async () => site.close());

  it('keeps the heap flat and the frame rate steady', async () => {
    await waitFor('all images', async () => (await state(page)).imagesLoaded === 70000, 60000);
    const early = [], late = [];
    const heap0 = (await state(page)).heapBytes;
    let s;
    for (;;) {
      await page.waitForTimeout(1000);
      s = await state(page);
      assert.equal(s.heapBytes, heap0, `heap grew at epoch ${s.epoch.toFixed(1)}`);
      if (s.epochsCompleted < 10) early.push(s.rafFps);
      if (s.epochsCompleted >= 40) late.push(s.rafFps);
      if (s.epochsCompleted >= 50) break;
      assert.ok(s.phase === 'training', `phase ${s.phase}`);
    }
    const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
    console.log(`# 50 epochs: heap ${heap0} bytes throughout; fps median ${median(early).toFixed(0)} (epochs 0-9), ${median(late).toFixed(0)} (40-50); test accuracy ${(100 * s.testAccuracy).toFixed(2)} %`);
    assert.ok(median(late) >= 0.8 * median(early), `fps fell from ${median(early)} to ${median(late)}`);
    assert.deepEqual(page.problems, []);
  });
});
