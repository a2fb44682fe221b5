// The figure sits in an article: a wheel or a finger over it scrolls the article, unless it lands on something
// of the figure that scrolls (and can still scroll that way) or is dragged (a slider, the Draw pad). The same
// inside a blogger's cross-origin iframe.   node scroll.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { frames, openSite, state, set, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
let site;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const PHONE = [
  { width: 390, height: 844 },
  { hasTouch: true, isMobile: true, deviceScaleFactor: 3 },
];

async function open(query, viewport = { width: 1280, height: 900 }, device = {}) {
  const page = await site.page(viewport, device);
  await page.goto(site.url + query);
  await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
  return page;
}

// Puts the figure's top at the top of the viewport (with room to scroll further) and returns its box.
async function figureAtTop(page) {
  await page.evaluate(() =>
    window.scrollTo(0, document.getElementById('booksmart-frame').getBoundingClientRect().top + window.scrollY - 20),
  );
  await frames(page, 3); // so the app has drawn at its final place
  return page.locator('#canvas').boundingBox();
}

// A finger put down at (x, y), moved by dy in 15 steps, lifted: as a phone's touch screen reports it.
async function swipe(page, x, y, dy) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= 15; ++i) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (dy * i) / 15 }] });
    await frames(page, 1);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// The page's scroll position once it has stopped moving.
async function restingScrollY(page) {
  let last = -1;
  for (;;) {
    const y = await page.evaluate(() => window.scrollY);
    if (y === last) return y;
    last = y;
    await settle(150); // the browser's scroll, not the app: the blog page of one test has no app to ask
  }
}

describe('scrolling past the figure', () => {
  before(async () => {
    site = await openSite(siteDir);
  });
  after(async () => site.close());

  it('a wheel over the figure scrolls the article', async () => {
    const page = await open('?train=pretrained&view=overlay');
    const box = await figureAtTop(page);
    const before = await restingScrollY(page);
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5);
    await page.mouse.wheel(0, 600);
    const after = await restingScrollY(page);
    assert.ok(after - before >= 500, `the article moved ${after - before} px for a 600 px wheel over the figure`);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('a wheel over the neuron grid scrolls the grid until its end, then the article', async () => {
    // A frame short enough that the grid's 138 neurons do not all fit.
    const page = await open('?train=pretrained&view=neurons', { width: 1280, height: 600 });
    const box = await figureAtTop(page);
    const grid = (await state(page)).layout.scrollables.find((r) => r.name === 'neuron grid');
    assert.ok(grid, 'the neuron grid is reported in state().layout.scrollables');
    assert.ok(grid.scrollMax > 0, 'the grid has more neurons than it shows');
    const before = await restingScrollY(page);
    await page.mouse.move(box.x + grid.x + grid.width / 2, box.y + grid.y + grid.height / 2);
    await page.mouse.wheel(0, 100);
    await frames(page, 5);
    assert.equal(await restingScrollY(page), before, 'the article stays while the grid scrolls');
    const moved = (await state(page)).layout.scrollables.find((r) => r.name === 'neuron grid');
    assert.ok(moved.scroll > 0, 'the grid scrolled');
    // Enough wheel to reach the grid's end, then one more turn: the article moves. "The end" is the app's own
    // test (figure_layout.cpp: within half a pixel of the grid's scroll limit, read afresh, as it can change).
    const gridNow = async () => (await state(page)).layout.scrollables.find((r) => r.name === 'neuron grid');
    const atEnd = (g) => g.scroll >= g.scrollMax - 0.5;
    for (let i = 0; i < 80 && !atEnd(await gridNow()); ++i) {
      await page.mouse.wheel(0, 200);
      await frames(page, 2);
    }
    assert.ok(atEnd(await gridNow()), 'the grid reached its end');
    await page.mouse.wheel(0, 400);
    // The browser scrolls smoothly and, on a busy machine, late: wait for the article rather than sample it once.
    await waitFor('the article to move', async () => (await page.evaluate(() => window.scrollY)) - before >= 300, 5000);
    await page.close();
  });

  it('a wheel over the figure in a cross-origin iframe scrolls the blog around it', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'booksmart-blog-'));
    const prose = '<p>' + 'Some prose about the figure. '.repeat(40) + '</p>';
    fs.writeFileSync(
      path.join(tmp, 'index.html'),
      `<!doctype html><title>A blog post</title><link rel="icon" href="data:,">
${prose.repeat(4)}<iframe src="${site.url}embed.html?view=overlay&train=pretrained" width="720" height="540"
 sandbox="allow-scripts allow-same-origin" title="Booksmart"></iframe>${prose.repeat(8)}`,
    );
    const blog = await startServer({ root: tmp, port: 0, quiet: true });
    try {
      const page = await site.page({ width: 1000, height: 800 });
      await page.goto(blog.url);
      const origin = new URL(site.url).origin;
      // In view first: the browser does not draw a cross-origin frame that is off screen.
      await page.evaluate(() => document.querySelector('iframe').scrollIntoView({ block: 'center' }));
      const frame = await waitFor(
        'the iframe',
        async () => page.frames().find((f) => f.url().startsWith(origin)),
        10000,
      );
      await waitFor(
        "the embed's first figure",
        async () =>
          frame.evaluate(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined),
        60000,
      );
      await frames(frame, 3);
      const box = await page.locator('iframe').boundingBox();
      const before = await restingScrollY(page);
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6);
      // The view is a little taller than its 540 px frame: the first turn may go to the figure, until its end.
      // A reader's five turns of the wheel, 100 ms apart: this paces the input (the embed may scroll out of view
      // and stop drawing, so there is no frame of its to wait for); restingScrollY then waits for the blog.
      for (let i = 0; i < 5; ++i) {
        await page.mouse.wheel(0, 200);
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await restingScrollY(page);
      assert.ok(
        after - before >= 600,
        `the blog moved ${after - before} px for five 200 px turns of the wheel over the embed`,
      );
      await page.close();
    } finally {
      await blog.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a finger swiping over the figure on a phone scrolls the article', async () => {
    const page = await open('?train=pretrained&view=overlay', ...PHONE);
    const box = await figureAtTop(page);
    const before = await restingScrollY(page);
    // Over the figure's right part, low down: text and pictures, no slider.
    const zones = (await state(page)).layout.touchZones;
    const x = box.x + box.width * 0.9,
      y = box.y + box.height * 0.75;
    assert.ok(
      !zones.some(
        (r) => x - box.x >= r.x && x - box.x < r.x + r.width && y - box.y >= r.y && y - box.y < r.y + r.height,
      ),
      'the swipe starts off every slider',
    );
    await swipe(page, x, y, -300);
    const after = await restingScrollY(page);
    assert.ok(after - before >= 200, `the article moved ${after - before} px for a 300 px swipe over the figure`);
    await page.close();
  });

  it('two fingers spread over the figure zoom the page', async () => {
    const page = await open('?train=pretrained&view=overlay', ...PHONE);
    const box = await figureAtTop(page);
    const x = box.x + box.width * 0.7,
      y = box.y + box.height * 0.8;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: [
        { x: x - 20, y, id: 1 },
        { x: x + 20, y, id: 2 },
      ],
    });
    for (let i = 1; i <= 12; ++i) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [
          { x: x - 20 - 8 * i, y, id: 1 },
          { x: x + 20 + 8 * i, y, id: 2 },
        ],
      });
      await frames(page, 1);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await frames(page, 10);
    const scale = await page.evaluate(() => window.visualViewport.scale);
    assert.ok(scale > 1.5, `the page zoomed to ${scale}`);
    await page.close();
  });

  it('a finger stroke on the Draw pad draws a digit and leaves the article where it was', async () => {
    const page = await open('?train=pretrained&view=draw', ...PHONE);
    const box = await figureAtTop(page);
    const before = await restingScrollY(page);
    const a = (await state(page)).drawing.area;
    assert.ok(a.x + a.width <= box.width, `the pad (${a.x}+${a.width} px) is inside the ${box.width} px figure`);
    const cdp = await page.context().newCDPSession(page);
    const at = (u, v) => ({ x: box.x + a.x + u * a.width, y: box.y + a.y + v * a.height });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0.5, 0.15)] });
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
    assert.equal(s.drawing.prediction, 1, `a vertical stroke is a 1, not ${s.drawing.prediction}`);
    assert.equal(await restingScrollY(page), before, 'the stroke did not scroll the article');
    await page.close();
  });

  it('a tap on the figure is still a click', async () => {
    const page = await open('?train=pretrained&view=draw', ...PHONE);
    const box = await figureAtTop(page);
    const tab = (await state(page)).layout.tabs.find((t) => t.view === 'overlay');
    assert.ok(tab, 'the Overlay tab is reported in state().layout.tabs');
    await page.touchscreen.tap(box.x + tab.x + tab.width / 2, box.y + tab.y + tab.height / 2);
    await waitFor('the Overlay view', async () => (await state(page)).view === 'overlay', 5000);
    assert.deepEqual(await set(page, { view: 'draw' }), []);
    await page.close();
  });
});
