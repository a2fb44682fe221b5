// The article's trial section and the Trial view in the page: every experiment's predictions are on the page
// before anything runs; the reader's button runs an experiment in frame slices on the streamed data; what it
// measures fills the article's tables and the verdict grid, and the prose's live numbers come from state();
// it reads on a 390 px phone without sideways scrolling. The experiment runs in the training worker, and its
// figures there are the page's own thread's, to the last digit. Beside them, the full trial's figures for the
// pretrained model from assets/trial.json. (All six experiments take minutes: this test runs the first; `make bench` times
// all six, bench/trial_metrics.mjs.)
//   node trial.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, state, set, waitFor } from './harness.mjs';

const [siteDir] = process.argv.slice(2);
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
let site, page, inWorker;

// A verdict grid's agreements, row by row, once none is pending.
function gridOf(selector, what) {
  return waitFor(
    what,
    () =>
      page.evaluate((sel) => {
        const rows = [...document.querySelectorAll(sel + ' tbody tr')];
        const cells = rows.map((r) =>
          [...r.querySelectorAll('td.verdict')].map((c) => c.className.replace(/.*agreement-/, '')),
        );
        return cells.length && !cells.flat().includes('pending') && cells;
      }, selector),
    20000,
  );
}

describe('the trial', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page({ width: 390, height: 844 });
    await page.goto(site.url + '?train=pretrained');
    await waitFor(
      'the app',
      () => page.evaluate(() => window.booksmart && window.booksmart.state().timings.firstFigure !== undefined),
      60000,
    );
  });
  after(async () => site.close());

  it("shows every experiment with each account's prediction before anything runs", async () => {
    const tables = await waitFor(
      'the trial tables',
      () =>
        page.evaluate(() => {
          const blocks = [...document.querySelectorAll('#trial-experiments .trial-experiment')];
          return (
            blocks.length &&
            blocks.map((b) =>
              [...b.querySelectorAll('tbody tr')].map((r) => r.querySelector('td[data-label="Predicts"]').textContent),
            )
          );
        }),
      20000,
    );
    assert.equal(tables.length, 6);
    for (const rows of tables) {
      assert.equal(rows.length, 4, 'four accounts per experiment');
      for (const r of rows) assert.ok(r.length > 20, `a prediction in words: ${r}`);
    }
    const grid = await page.evaluate(() => document.querySelectorAll('#trial-verdict tbody td.verdict').length);
    assert.equal(grid, 24);
    const s = await state(page);
    for (const x of Object.values(s.trial)) assert.equal(x.status, 'idle');
  });

  it("shows the five seeds' verdicts and each rule's interval from docs/trial/summary.json", async () => {
    const summary = await page.evaluate(() => fetch('assets/trial-summary.json').then((r) => r.json()));
    assert.deepEqual(summary.seeds, [1, 2, 3, 4, 5]);
    const grid = await gridOf('#trial-verdict-seeds', 'the five-seed grid');
    const s = await state(page);
    const experiments = Object.values(s.trial)
      .sort((a, b) => a.order - b.order)
      .map((x) => x.title.split('.')[0]);
    assert.deepEqual(experiments, ['a', 'b', 'c', 'd', 'e', 'f']);
    const accounts = Object.entries(s.trial.span.verdicts)
      .sort((a, b) => a[1].order - b[1].order)
      .map(([k]) => k);
    const key = { 'not run as designed': 'notRunAsDesigned', 'not measured': 'pending' };
    const want = accounts.map((a) =>
      experiments.map((e) => {
        const cell = summary.cells[e] && summary.cells[e][a];
        return cell === undefined ? 'silent' : key[cell] || cell;
      }),
    );
    assert.deepEqual(grid, want);
    assert.ok(!want.flat().includes('pending'), 'every cell with a rule was measured over the five seeds');
    for (const a of accounts) {
      const tested = experiments.filter((e, i) => want[accounts.indexOf(a)][i] !== 'silent');
      assert.ok(tested.length >= 2, `${a} is tested by at least two experiments: ${tested}`);
    }
    // Each cell of experiment a's table names its rules' quantities with the estimate and interval.
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('#trial-span tbody td[data-label="Five seeds"]')].map((c) => c.textContent),
    );
    const rule = summary.rules.find((r) => r.id === 'a.offSpan.share');
    const three = (v) => Number(v.toPrecision(3)).toString();
    assert.ok(
      cells[0].includes(`${rule.quantity} below 0.5: ${three(rule.estimate)} [${three(rule.lo)}, ${three(rule.hi)}]`),
      cells[0],
    );
  });

  it("fills the build-time column, the first verdict grid and the prose's figures from assets/trial.json", async () => {
    const asset = await page.evaluate(() => fetch('assets/trial.json').then((r) => r.json()));
    const grid = await gridOf('#trial-verdict-built', 'the build-time grid');
    const s = await state(page);
    const experiments = Object.entries(s.trial)
      .sort((a, b) => a[1].order - b[1].order)
      .map(([k]) => k);
    const accounts = Object.entries(s.trial.span.verdicts)
      .sort((a, b) => a[1].order - b[1].order)
      .map(([k]) => k);
    assert.deepEqual(
      grid,
      accounts.map((a) => experiments.map((e) => asset.experiments[e].verdicts[a].agreement)),
    );
    const column = await page.evaluate(() =>
      [...document.querySelectorAll('#trial-span tbody td[data-label="Pretrained, full trial"]')].map(
        (c) => c.textContent,
      ),
    );
    assert.deepEqual(
      column,
      accounts.map(
        (a) =>
          asset.experiments.span.verdicts[a].agreement +
          (asset.experiments.span.verdicts[a].agreement === 'silent'
            ? ''
            : ': ' + asset.experiments.span.verdicts[a].measured),
      ),
    );
    const prose = await page.evaluate(() =>
      [...document.querySelectorAll('[data-trial]')].map((e) => [
        e.dataset.trial,
        e.dataset.format || '',
        e.textContent,
      ]),
    );
    assert.ok(prose.length >= 10, `the prose quotes the build-time trial (${prose.length} figures)`);
    const lookup = (path) => path.split('.').reduce((o, k) => o[k], asset);
    for (const [path, format, text] of prose) {
      const v = lookup(path);
      const want =
        v === null
          ? 'none found'
          : format === 'int'
            ? Math.round(v).toLocaleString('en-US')
            : format === 'percent'
              ? (100 * v).toFixed(1) + ' %'
              : format === 'times'
                ? v.toFixed(2) + '\u00d7'
                : format === 'fixed2'
                  ? v.toFixed(2)
                  : format === 'fixed1'
                    ? v.toFixed(1)
                    : format === 'sci'
                      ? v.toExponential(1)
                      : String(v);
      assert.equal(text, want, path);
    }
  });

  // The closing paragraph is fixed prose; each of its claims is checked here against the figures it summarises,
  // so that regenerating assets/trial.json with different results fails until the prose is rewritten.
  it('states a conclusion that the build-time figures bear out', async () => {
    const asset = await page.evaluate(() => fetch('assets/trial.json').then((r) => r.json()));
    const [span, transfer, thin, features, tilt] = ['span', 'transfer', 'thin', 'features', 'tilt'].map(
      (e) => asset.experiments[e].result,
    );
    const text = await page.evaluate(() => document.getElementById('evidence-conclusion').textContent);
    assert.match(text, /in the\s+thin book training never touches them, and they can be attacked/);
    for (const run of thin.runs) {
      assert.ok(
        run.offChange < 1e-4,
        `thin book d ${run.d} scale ${run.initScale}: off-span weights moved ${run.offChange}`,
      );
      if (run.medianRadiusOffSpan !== null) {
        assert.ok(
          run.medianRadiusInSpan < run.medianRadiusOffSpan,
          `thin book d ${run.d}: the in-span attack is cheaper`,
        );
      }
    }
    assert.ok(
      thin.runs.some((r) => r.medianRadiusOffSpan !== null),
      'some off-span attack on the thin book succeeds',
    );
    assert.match(text, /lie mostly where the data vary/);
    assert.ok(span.meanShares.topK > 0.5);
    assert.ok(span.meanShares.topK > 2 * span.randomShares.topK);
    assert.match(text, /the part of the pattern that lies there is the part that carries over/);
    const d = transfer.directions;
    assert.ok(d.inSpan.onB > 0.5 && d.inSpan.onB > 5 * d.offSpan.onB);
    assert.match(text, /Weight decay, which shrinks the leftovers, makes the network harder to fool/);
    assert.ok(tilt.decay['0.01'].offSpanNormW1 < tilt.decay['0'].offSpanNormW1, 'decay shrinks the leftovers');
    assert.ok(tilt.decay['0.01'].medianMinimalL2 > tilt.decay['0'].medianMinimalL2, 'and enlarges the radius');
    assert.match(text, /reads real digits far above chance/);
    const sets = features.sets;
    for (const name of ['det', 'rand']) {
      assert.ok(sets[name].cleanTestAccuracy > 2 * features.chance, `${name} teaches far above chance`);
      assert.ok(sets[name].targetRateOnA > 0.9, `${name}'s pushes reached their target`);
    }
    const control = ['controlDet', 'controlRand'].map((n) => sets[n].cleanTestAccuracy);
    assert.ok(Math.max(...control) < features.chance, 'the labels alone teach nothing');
    const evidence = await page.evaluate(() => document.getElementById('evidence').textContent);
    assert.match(evidence, /Kept outside the span, the\s+pushes must be longer/);
    assert.ok(sets.randOffSpan.medianPushL2 > sets.rand.medianPushL2);
    assert.match(evidence, /and still teach/);
    assert.ok(Math.min(sets.detOffSpan.cleanTestAccuracy, sets.randOffSpan.cleanTestAccuracy) > features.chance);
  });

  it('rejects a bad experiment name and keeps what it had', async () => {
    const errors = await set(page, { trial: 'span,nonsense' });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /span, transfer, thin, optimizers, features, tilt/);
    assert.equal((await state(page)).trial.span.status, 'idle');
  });

  it("runs experiment a from the article's button in frame slices and fills its table and the grid", async () => {
    await page.evaluate(() => window.booksmart.set({ trial: 'span' }));
    const fps = [],
      app = [];
    const s = await waitFor(
      'experiment a done',
      async () => {
        const s = await state(page);
        if (s.trial.span.status === 'running') {
          fps.push(s.rafFps);
          app.push(s.medianAppMs);
        }
        return s.trial.span.status === 'done' && s;
      },
      180000,
      500,
    );
    const t = s.trial.span,
      r = t.result;
    console.log(
      `# experiment a in the page: ${r.images} images, top-k share ${r.meanShares.topK.toFixed(3)} (random ` +
        `${r.randomShares.topK.toFixed(3)}), complement/free ${r.medianComplementOverFree.toFixed(2)}, radius/linear ` +
        `${r.medianRadiusOverLinear.toFixed(2)}; ran ${t.runSeconds.toFixed(1)} s; fps median ${median(fps).toFixed(0)}, ` +
        `app work median ${median(app).toFixed(1)} ms/frame`,
    );
    assert.equal(s.trainer, 'worker', "the page's default: the experiment runs in the training worker");
    assert.ok(t.runSeconds > 0 && t.runSeconds <= t.seconds, `ran ${t.runSeconds} s of ${t.seconds} s`);
    inWorker = t;
    assert.equal(r.images, 100);
    assert.ok(Math.abs(r.meanShares.topK + r.meanShares.rest + r.meanShares.neverLit - 1) < 1e-6);
    assert.ok(r.meanShares.topK > r.randomShares.topK, "minimal perturbations favour the data's directions");
    assert.ok(r.medianRadiusOverLinear > 0.5 && r.medianRadiusOverLinear < 2);
    assert.ok(t.runSeconds < 60, `experiment a took ${t.runSeconds} s`);
    assert.ok(fps.length >= 3, 'it ran over several polls of frames');
    assert.ok(median(app) <= 20, `the app's median work per frame was ${median(app)} ms`);
    for (const e of ['offSpan', 'linearity', 'features'])
      assert.match(t.verdicts[e].agreement, /^(agrees|mixed|disagrees)$/);
    const rows = await waitFor(
      "the article's table",
      () =>
        page.evaluate(() => {
          const rows = [...document.querySelectorAll('#trial-span tbody tr')].map((r) => r.textContent);
          return rows.length && !rows.some((x) => /not measured yet/.test(x)) && rows;
        }),
      10000,
    );
    assert.ok(
      rows.some((x) => x.includes(t.verdicts.features.measured)),
      "the measured text is the state's",
    );
    const grid = await page.evaluate(() =>
      [...document.querySelectorAll('#trial-verdict tbody tr')].map((r) => r.querySelector('td.verdict').className),
    );
    assert.ok(
      grid.every((c) => !/agreement-pending/.test(c)),
      'column a is decided',
    );
  });

  // The worker runs the page's own code in the page's own units on its own copy of the data: the figures must
  // be the same to the last digit as when the page's thread runs the experiment between frames.
  it('gives the same figures when the page runs experiment a in its own thread', async () => {
    assert.ok(inWorker, "the worker's run above finished");
    const other = await site.page({ width: 390, height: 844 });
    await other.goto(site.url + '?train=pretrained&trainer=page&trial=span');
    const t = await waitFor(
      "experiment a done in the page's thread",
      async () => {
        const s = await state(other); // before the app has started, state() has no trial yet
        return s.trial && s.trial.span.status === 'done' && s.trial.span;
      },
      180000,
      500,
    );
    assert.equal((await state(other)).trainer, 'page');
    console.log(
      `# experiment a in the page's thread: ran ${t.runSeconds.toFixed(1)} s (in the worker: ${inWorker.runSeconds.toFixed(1)} s)`,
    );
    assert.deepEqual(t.result, inWorker.result);
    assert.deepEqual(t.verdicts, inWorker.verdicts);
    assert.deepEqual(other.problems, []);
    await other.close();
  });

  it('says so in place when the build-time figures cannot be loaded, and the experiments still work', async () => {
    const other = await site.page({ width: 390, height: 844 });
    await other.route('**/assets/trial.json', (r) => r.fulfill({ status: 404, body: 'missing' }));
    await other.goto(site.url + '?train=pretrained');
    const alert = await waitFor(
      'the notice',
      () =>
        other.evaluate(() => {
          const p = document.getElementById('trial-built-problem');
          return p && !p.hidden && p.textContent;
        }),
      30000,
    );
    assert.match(alert, /\(assets\/trial\.json\) could not be loaded: HTTP 404/);
    const texts = await other.evaluate(() => [...document.querySelectorAll('[data-trial]')].map((e) => e.textContent));
    assert.ok(
      texts.every((t) => t === 'unavailable'),
      'no stale or invented figure',
    );
    const rows = await waitFor(
      'the tables',
      () => other.evaluate(() => document.querySelectorAll('#trial-experiments tbody tr').length),
      20000,
    );
    const experiments = Object.keys((await state(other)).trial).length;
    assert.equal(rows, 4 * experiments, 'the predictions are still on the page: four accounts per experiment');
    await other.close();
  });

  it("fills the prose's live numbers from state() and fits a phone", async () => {
    const s = await state(page);
    const text = await page.evaluate(() => document.querySelector('[data-state="shownAccuracy"]').textContent);
    assert.equal(text, (100 * s.shownAccuracy).toFixed(1) + ' %');
    // 784*64 + 64 + 64*64 + 64 + 64*10 + 10 weights and biases.
    assert.equal(s.network.parameters, 55050);
    const live = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-state]')].map((e) => [e.dataset.state, e.textContent])),
    );
    assert.equal(live['network.parameters'], '55,050');
    assert.equal(live['network.hidden'], '128');
    assert.ok(s.sparsity && s.sparsity.images > 0, 'the analysis counted active neurons');
    assert.equal(live['sparsity.meanStrong'], s.sparsity.meanStrong.toFixed(1));
    assert.equal(live['sparsity.meanMild'], s.sparsity.meanMild.toFixed(1));
    assert.ok(s.sparsity.meanStrong + s.sparsity.meanMild + s.sparsity.meanZero <= 128 + 1e-9);
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.equal(widths[0], widths[1], 'no sideways scrolling');
    assert.deepEqual(page.problems, []);
  });
});
