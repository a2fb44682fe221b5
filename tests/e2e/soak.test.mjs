// A restless reader, from a fixed seed so a failure replays: random clicks, drags, wheel turns, keys and window
// sizes on the figure, random tab switches, random set() calls with valid, invalid and extreme values (NaN,
// Infinity, huge numbers, wrong types, unknown keys, 10 kB strings), and broken model files, interleaved. It fails
// on any console error or uncaught exception, a non-finite number in state(), WebAssembly heap growth after the
// data has loaded, an app frame over 250 ms once the one-off builds are done (the app's own measure of its work
// per frame, state().worstFrameMs), or a canvas that stops being drawn. The longest gap between the browser's
// animation frames is reported too: on this software-rendered (SwiftShader) two-core machine it also holds the
// GPU process's rasterising, which is the machine's, not the app's.
//   node soak.test.mjs SITE_DIR [SECONDS=90] [SEED=1]
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openSite, state, set, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
const seconds = Number(process.argv[3] || 90);
const seed = Number(process.argv[4] || 1);
const model = fs.readFileSync(path.join(siteDir, 'assets', 'pretrained.safetensors'));
const kWorstFrameMs = 250;

// mulberry32: small, seedable, the same sequence on every machine.
function rng(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Numbers must be finite wherever state() reports them; null only where the API documents "none".
function nonFinite(value, where = 'state') {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [where];
  // The robustness view reports null before its first result and for radii no attack reached; the trial, for
  // an experiment that has not run (its result and times) and for radii no attack reached; sparsity until the
  // analysis first runs; the street-smart trainer's adversarial settings while it trains plainly or not at all;
  // k before the page has built its subspace, when none was asked for (the trial's experiments build theirs in
  // the worker, so asking for one no longer builds the page's); an epoch that ended before any test image had
  // arrived.
  if (value === null) {
    return /(flipAlpha|error|medianFlipAlpha\.[\w-]+|robustness\.image(\.\w+)?|robustness\.survey\.median\w+)$/.test(
      where,
    ) ||
      where === 'state.sparsity' ||
      where === 'state.compare.adversarial' ||
      where === 'state.k' ||
      /^state\.epochAccuracies\.\d+$/.test(where) ||
      /^state\.trial\.\w+\.(result|seconds|runSeconds)$/.test(where) ||
      /^state\.trial\.\w+\.result\..*(Radius|radius|OverFree|OverLinear|OffSpan|InSpan)\w*$/.test(where)
      ? []
      : [where + ' is null'];
  }
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => nonFinite(v, where + '.' + k));
}

describe(`a ${seconds} s soak with seed ${seed}`, () => {
  let site, page;
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page({ width: 1100, height: 800 });
    // The gaps between the browser's animation frames: the app draws inside them, so a slow app frame shows here.
    await page.addInitScript(() => {
      window.soak = { worst: 0, last: 0 };
      const tick = (t) => {
        if (window.soak.last && document.visibilityState === 'visible')
          window.soak.worst = Math.max(window.soak.worst, t - window.soak.last);
        window.soak.last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(site.url);
  });
  after(async () => site.close());

  it('survives random input with a flat heap, short frames and a live canvas', async () => {
    const random = rng(seed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
    await waitFor(
      'all images',
      async () => (await state(page)).imagesLoaded === (await state(page)).totalImages,
      120000,
    );
    // The documented one-off builds happen first: the data subspace (its eigen-decomposition is one step).
    await set(page, { view: 'subspace' });
    await waitFor('the subspace', async () => (await state(page)).subspace.ready, 120000);
    // The canvas scrolled into view once: its first presentation is slow in a software-rendered browser.
    await page.focus('#canvas');
    // Until the build's frame has left the app's window of recent frames.
    const built = (await state(page)).framesDrawn;
    await waitFor('250 more frames', async () => (await state(page)).framesDrawn > built + 250, 120000);
    const heap0 = (await state(page)).heapBytes;
    await page.evaluate(() => {
      window.soak.worst = 0;
      window.soak.last = 0;
    });

    const fields = Object.keys(await state(page)).concat([
      'reset',
      'export',
      'attackDrawing',
      'clearDrawing',
      'k',
      'streetSmart',
      'streetPlaying',
      'streetReset',
    ]);
    const views = ['neurons', 'overlay', 'draw', 'subspace', 'attacks', 'robustness', 'compare', 'training'];
    const values = () =>
      pick([
        NaN,
        Infinity,
        -Infinity,
        1e308,
        -1e308,
        2 ** 53 + 1,
        -1,
        0,
        1,
        0.5,
        3,
        7,
        784,
        4294967296,
        true,
        false,
        null,
        '',
        'x'.repeat(10240),
        '<script>',
        '1:5',
        '3:9',
        '2:63',
        '9:9',
        'pretrained',
        'live',
        'sgd',
        'adam',
        'auto',
        'png',
        'csv:training',
        'csv:nothing',
        'csv:robustness',
        'linf',
        'l2',
        pick(views),
        [],
        [1, 2],
        {},
        { fgsm: 0.2 },
        { pgd: 0.1, pgdSteps: 2 },
        { pgdSteps: 2.5 },
        { weightDecay: 'lots' },
        { nested: { deep: [1] } },
      ]);
    const broken = () =>
      pick([
        Buffer.from('not a model at all'),
        model.subarray(0, int(0, model.length - 1)),
        Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), Buffer.from('{}')]),
        (() => {
          const b = Buffer.from(model);
          b.writeFloatLE(NaN, b.length - 4 * int(1, 50));
          return b;
        })(),
        (() => {
          const b = Buffer.from(model);
          for (let i = 0; i < 20; ++i) b[int(0, 200)] = int(0, 255);
          return b;
        })(),
      ]);

    const box = await (await page.$('#canvas')).boundingBox();
    const at = () => [box.x + random() * box.width, box.y + random() * Math.min(box.height, 700)];
    const counts = {};
    const recent = []; // the last events, named in a failure so it can be read without a replay
    let worstApp = 0,
      events = 0,
      lastFrames = (await state(page)).framesDrawn,
      lastCheck = Date.now(),
      checks = 0;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const action = pick([
        'click',
        'click',
        'drag',
        'wheel',
        'key',
        'key',
        'resize',
        'view',
        'set',
        'set',
        'set',
        'upload',
      ]);
      counts[action] = (counts[action] || 0) + 1;
      ++events;
      let detail = '';
      if (action === 'click') {
        await page.mouse.click(...at());
      } else if (action === 'drag') {
        const [x, y] = at();
        await page.mouse.move(x, y);
        await page.mouse.down();
        for (let i = 0; i < 5; ++i) await page.mouse.move(x + (random() - 0.5) * 200, y + (random() - 0.5) * 200);
        await page.mouse.up();
      } else if (action === 'wheel') {
        await page.mouse.move(...at());
        await page.mouse.wheel((random() - 0.5) * 400, (random() - 0.5) * 1200);
      } else if (action === 'key') {
        await page.focus('#canvas'); // keys for the figure (a Tab may take focus to the page's own links)
        await page.keyboard.press(
          pick([
            'Tab',
            'Shift+Tab',
            'ArrowLeft',
            'ArrowRight',
            'ArrowUp',
            'ArrowDown',
            'Space',
            'Enter',
            'Escape',
            'a',
            '7',
            'Backspace',
          ]),
        );
      } else if (action === 'resize') {
        await page.setViewportSize({ width: int(320, 1400), height: int(480, 1000) });
        Object.assign(box, await (await page.$('#canvas')).boundingBox());
      } else if (action === 'view') {
        const view = pick(views);
        detail = view;
        assert.deepEqual(await set(page, { view }), []);
      } else if (action === 'set') {
        const changes = {};
        for (let i = int(1, 3); i > 0; --i)
          changes[pick(fields.concat(['colour', '__proto__', 'x'.repeat(10240)]))] = values();
        detail = JSON.stringify(changes).slice(0, 200);
        const errors = await set(page, changes);
        assert.ok(Array.isArray(errors), 'set() answers with a list of refusals');
      } else if (action === 'upload') {
        await page.setInputFiles('#booksmart-model-file', {
          name: 'broken.safetensors',
          mimeType: 'application/octet-stream',
          buffer: broken(),
        });
      }
      recent.push(`${events} ${action} ${detail}`.slice(0, 160));
      if (recent.length > 12) recent.shift();
      await page.waitForTimeout(int(0, 60));
      if (process.env.SOAK_VERBOSE) {
        const g = await page.evaluate(() => {
          const w = window.soak.worst;
          window.soak.worst = 0;
          return w;
        });
        console.log(
          `# ${events} ${action} ${detail} app ${(await state(page)).worstFrameMs.toFixed(0)} ms gap ${g.toFixed(0)} ms`,
        );
      }
      if (Date.now() - lastCheck > 2000) {
        const s = await state(page);
        assert.deepEqual(nonFinite(s), [], 'state() has only finite numbers');
        assert.equal(
          s.heapBytes,
          heap0,
          `the heap grew after ${events} events (the training worker's: ${s.workerHeapBytes} bytes; the last events: ${recent.join(' | ')})`,
        );
        assert.ok(s.framesDrawn > lastFrames, `the canvas stopped being drawn after ${events} events`);
        assert.deepEqual(page.problems, [], 'no console errors or uncaught exceptions');
        assert.ok(
          s.worstFrameMs <= kWorstFrameMs,
          `an app frame took ${s.worstFrameMs.toFixed(0)} ms (after ${events} events; the last ones: ${recent.join(' | ')})`,
        );
        worstApp = Math.max(worstApp, s.worstFrameMs);
        lastFrames = s.framesDrawn;
        lastCheck = Date.now();
        ++checks;
      }
    }
    const s = await state(page);
    const gap = await page.evaluate(() => window.soak.worst);
    console.log(
      `# soak: ${events} events in ${seconds} s (${JSON.stringify(counts)}), ${checks} checks; heap ${s.heapBytes} bytes ` +
        `throughout; slowest app frame ${worstApp.toFixed(0)} ms; longest gap between browser frames ${gap.toFixed(0)} ms; ` +
        `${s.framesDrawn} frames drawn; phase ${s.phase}, view ${s.view}, step ${s.step}`,
    );
    assert.ok(checks >= Math.floor(seconds / 3), `only ${checks} checks ran`);
    assert.deepEqual(page.problems, []);
  });
});
