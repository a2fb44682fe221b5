// The Robustness view in the page: the digit on view bracketed between certified and attack radii, the survey of
// the first correct test images finished in frame slices while the page keeps drawing, the same numbers as
// `booksmart robustness` with the page's settings, the L2 switch, the CSV export, and the embed.
//   node robustness.test.mjs SITE_DIR BOOKSMART_CLI MNIST_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openSite, state, set, shot, waitFor } from './harness.mjs';
import { inkStats } from './png.mjs';

const [siteDir, cli, mnist] = process.argv.slice(2);
const model = path.join(siteDir, 'assets', 'pretrained.safetensors');
// The page's settings (src/app/robust_state.cpp): 20 PGD steps, 1 restart, 500 Square queries.
const runCli = (norm, count) =>
  JSON.parse(
    execFileSync(
      cli,
      [
        'robustness',
        '--model',
        model,
        '--data',
        mnist,
        '--norm',
        norm,
        '--count',
        String(count),
        '--steps',
        '20',
        '--restarts',
        '1',
        '--square-queries',
        '500',
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    ),
  );
// Radii agree to the searches' tolerance (1e-3): the page's kernels round differently from the CLI's.
const close = (a, b, what, tol = 1e-3) => assert.ok(Math.abs(a - b) <= tol, `${what}: page ${a}, CLI ${b}`);

let site, page;

describe('the robustness view', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page();
    await page.goto(site.url + '?train=pretrained&view=robustness');
  });
  after(async () => site.close());

  it('brackets the digit on view and surveys 200 test images in slices, as the CLI does', async () => {
    const fps = [],
      app = [];
    const s = await waitFor(
      'a finished survey pass',
      async () => {
        const s = await state(page);
        if (s.robustness?.survey.running) {
          fps.push(s.rafFps);
          app.push(s.medianAppMs);
        }
        return s.robustness?.survey.passes >= 1 && s;
      },
      240000,
      1000,
    );
    const r = s.robustness,
      im = r.image;
    const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
    console.log(
      `# page, image #${im.index}: IBP ${im.ibp.toFixed(4)} CROWN ${im.crown.toFixed(4)} | DeepFool ${im.deepfool.toFixed(4)} ` +
        `PGD ${im.pgd.toFixed(4)} Square ${im.square.toFixed(4)} | overlay ${im.overlay.toFixed(3)} FGSM ${im.fgsm.toFixed(3)}; survey of ` +
        `${r.survey.images}: median certified ${r.survey.medianCertified.toFixed(4)}, attack ${r.survey.medianAttack.toFixed(4)}; ` +
        `while it ran: ${fps.length} s, fps median ${median(fps).toFixed(0)}, app work median ${median(app).toFixed(1)} ms/frame`,
    );
    assert.equal(r.norm, 'linf');
    assert.ok(im.ibp <= im.crown && im.crown < im.best && im.best <= im.pgd, JSON.stringify(im));
    assert.ok(im.best < im.overlay, 'the overlay pattern is not a minimal attack');
    assert.notEqual(im.adversarialPrediction, im.label);
    assert.equal(r.survey.images, 200);
    assert.ok(r.survey.medianCertified < r.survey.medianAttack);
    for (let i = 1; i < r.survey.curve.length; ++i) {
      assert.ok(r.survey.curve[i].certified <= r.survey.curve[i].attacked, 'certified accuracy is below attacked');
      assert.ok(r.survey.curve[i].attacked <= r.survey.curve[i - 1].attacked);
    }
    // Sliced: the view's work stays within its frame budget (5 ms) plus drawing, while the pass runs.
    assert.ok(fps.length >= 3, 'the pass took several seconds of frames');
    assert.ok(median(app) <= 15, `the app's median work per frame was ${median(app)} ms`);

    const c = runCli('linf', 200);
    const first = c.images.find((x) => x.index === im.index);
    close(im.ibp, first.certified_radius.ibp, 'IBP');
    close(im.crown, first.certified_radius.crown, 'CROWN');
    close(im.pgd, first.attack_radius.pgd, 'PGD');
    close(im.deepfool, first.attack_radius.deepfool, 'DeepFool');
    close(im.best, first.attack_radius.best, 'best');
    close(r.survey.medianCertified, c.summary.median_certified, 'median certified');
    close(r.survey.medianAttack, c.summary.median_attack, 'median attack');
    const ink = inkStats(await shot(page));
    assert.ok(ink.ink > 0.1 && ink.colours > 50, `the view draws its figures (${JSON.stringify(ink)})`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => window.booksmart.download('csv:robustness')),
    ]);
    const rows = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    assert.deepEqual(rows[0], [
      'norm',
      'index',
      'label',
      'ibp',
      'crown',
      'deepfool',
      'pgd',
      'square',
      'best',
      'adversarial_prediction',
    ]);
    assert.equal(rows.length, 201);
    for (const row of rows.slice(1)) assert.ok(Number(row[4]) <= Number(row[8]), `certified <= attack: ${row}`);
    assert.deepEqual(page.problems, []);
  });

  it('measures in L2 when switched, refuses a bad norm, and shares the norm in its link', async () => {
    const refused = await set(page, { robustNorm: 'l3' });
    assert.equal(refused.length, 1);
    assert.match(refused[0], /robustNorm/);
    assert.equal((await state(page)).robustness.norm, 'linf', 'a refused value changes nothing');
    const errors = await set(page, { robustNorm: 'l2' });
    assert.deepEqual(errors, []);
    const s = await waitFor(
      'the digit in L2',
      async () => {
        const s = await state(page);
        return s.robustness?.ready && s.robustness.norm === 'l2' && s;
      },
      60000,
      250,
    );
    const im = s.robustness.image;
    assert.equal(im.square, null, 'Square is an L-infinity attack');
    assert.ok(im.crown < im.best && im.best > 0.2, JSON.stringify(im));
    const c = runCli('l2', 1);
    close(im.crown, c.images[0].certified_radius.crown, 'L2 CROWN', 2e-3);
    close(im.best, c.images[0].attack_radius.best, 'L2 best', 2e-3);
    assert.ok((await page.evaluate(() => window.booksmart.shareUrl())).includes('rnorm=l2'));
  });

  it('is embeddable on its own, norm from the URL', async () => {
    const embed = await site.page({ width: 720, height: 640 });
    await embed.goto(site.url + 'embed.html?view=robustness&rnorm=l2&train=pretrained');
    const s = await waitFor(
      'the embedded view',
      async () => {
        const s = await state(embed);
        return s.robustness?.ready && s;
      },
      60000,
      250,
    );
    assert.equal(s.view, 'robustness');
    assert.equal(s.embed, true);
    assert.equal(s.robustness.norm, 'l2');
    assert.deepEqual(embed.problems, []);
  });
});
