// The article's trial section and the Trial view in the page: every experiment's predictions are on the page
// before anything runs; the reader's button runs an experiment in frame slices on the streamed data; what it
// measures fills the article's tables and the verdict grid, and the prose's live numbers come from state();
// it reads on a 390 px phone without sideways scrolling. (All five experiments take minutes: this test runs
// the first; `make bench` times all five.)
//   node trial.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, state, set, waitFor } from './harness.mjs';

const [siteDir] = process.argv.slice(2);
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
let site, page;

describe('the trial', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page({ width: 390, height: 844 });
    await page.goto(site.url + '?train=pretrained');
    await waitFor('the app', () => page.evaluate(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined), 60000);
  });
  after(async () => site.close());

  it('shows every experiment with each account\'s prediction before anything runs', async () => {
    const tables = await waitFor('the trial tables', () => page.evaluate(() => {
      const blocks = [...document.querySelectorAll('#trial-experiments .trial-experiment')];
      return blocks.length && blocks.map((b) => [...b.querySelectorAll('tbody tr')]
        .map((r) => r.querySelector('td[data-label="Predicts"]').textContent));
    }), 20000);
    assert.equal(tables.length, 5);
    for (const rows of tables) {
      assert.equal(rows.length, 4, 'four accounts per experiment');
      for (const r of rows) assert.ok(r.length > 20, `a prediction in words: ${r}`);
    }
    const grid = await page.evaluate(() => document.querySelectorAll('#trial-verdict tbody td.verdict').length);
    assert.equal(grid, 20);
    const s = await state(page);
    for (const x of Object.values(s.trial)) assert.equal(x.status, 'idle');
  });

  it('rejects a bad experiment name and keeps what it had', async () => {
    const errors = await set(page, { trial: 'span,nonsense' });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /span, transfer, thin, optimizers, features/);
    assert.equal((await state(page)).trial.span.status, 'idle');
  });

  it('runs experiment a from the article\'s button in frame slices and fills its table and the grid', async () => {
    await page.evaluate(() => window.booksmart.set({ trial: 'span' }));
    const fps = [], app = [];
    const s = await waitFor('experiment a done', async () => {
      const s = await state(page);
      if (s.trial.span.status === 'running') { fps.push(s.rafFps); app.push(s.medianAppMs); }
      return s.trial.span.status === 'done' && s;
    }, 180000, 500);
    const t = s.trial.span, r = t.result;
    console.log(`# experiment a in the page: ${r.images} images, top-k share ${r.meanShares.topK.toFixed(3)} (random ` +
      `${r.randomShares.topK.toFixed(3)}), complement/free ${r.medianComplementOverFree.toFixed(2)}, radius/linear ` +
      `${r.medianRadiusOverLinear.toFixed(2)}; ran ${t.runSeconds.toFixed(1)} s; fps median ${median(fps).toFixed(0)}, ` +
      `app work median ${median(app).toFixed(1)} ms/frame`);
    assert.equal(r.images, 100);
    assert.ok(Math.abs(r.meanShares.topK + r.meanShares.rest + r.meanShares.neverLit - 1) < 1e-6);
    assert.ok(r.meanShares.topK > r.randomShares.topK, 'minimal perturbations favour the data\'s directions');
    assert.ok(r.medianRadiusOverLinear > 0.5 && r.medianRadiusOverLinear < 2);
    assert.ok(t.runSeconds < 60, `experiment a took ${t.runSeconds} s`);
    assert.ok(fps.length >= 3, 'it ran over several polls of frames');
    assert.ok(median(app) <= 20, `the app's median work per frame was ${median(app)} ms`);
    for (const e of ['offSpan', 'linearity', 'features']) assert.match(t.verdicts[e].agreement, /^(agrees|mixed|disagrees)$/);
    const rows = await waitFor('the article\'s table', () => page.evaluate(() => {
      const rows = [...document.querySelectorAll('#trial-span tbody tr')].map((r) => r.textContent);
      return rows.length && !rows.some((x) => /not measured yet/.test(x)) && rows;
    }), 10000);
    assert.ok(rows.some((x) => x.includes(t.verdicts.features.measured)), 'the measured text is the state\'s');
    const grid = await page.evaluate(() => [...document.querySelectorAll('#trial-verdict tbody tr')]
      .map((r) => r.querySelector('td.verdict').className));
    assert.ok(grid.every((c) => !/agreement-pending/.test(c)), 'column a is decided');
  });

  it('fills the prose\'s live numbers from state() and fits a phone', async () => {
    const s = await state(page);
    const text = await page.evaluate(() => document.querySelector('[data-state="shownAccuracy"]').textContent);
    assert.equal(text, (100 * s.shownAccuracy).toFixed(1) + ' %');
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.equal(widths[0], widths[1], 'no sideways scrolling');
    assert.deepEqual(page.problems, []);
  });
});
