// The "why" views in the page: the data subspace, the attack comparison and the street-smart compare render,
// and their numbers match the native CLI for the same (pretrained) model.   node subspace.test.mjs SITE_DIR BOOKSMART_CLI MNIST_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openSite, state, set, shot, waitFor } from './harness.mjs';
import { inkStats, pixelHash } from './png.mjs';

const [siteDir, cli, mnist] = process.argv.slice(2);
const model = path.join(siteDir, 'assets', 'pretrained.safetensors');
const runCli = (...args) =>
  JSON.parse(
    execFileSync(cli, [...args, '--model', model, '--data', mnist, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: page ${a}, CLI ${b}`);

let site, page;

describe('the subspace and attack views', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page();
    await page.goto(site.url + '?train=pretrained&view=subspace');
  });
  after(async () => site.close());

  it('builds the subspace in the page and shows the same split as `booksmart subspace`', async () => {
    const s = await waitFor(
      'the subspace',
      async () => {
        const s = await state(page);
        return s.subspace?.ready && s;
      },
      120000,
      250,
    );
    const c = runCli('subspace');
    console.log(
      `# page: k95 ${s.subspace.k95}, ${s.subspace.neverLit} never-lit pixels, eigen-decomposition ${s.subspace.buildSeconds.toFixed(2)} s;`,
      'off-span share per layer',
      s.subspace.layers.map((l) => l.offShare.toFixed(4)).join(' '),
      '| CLI',
      ['layer1', 'layer2', 'output'].map((l) => c.layers[l].off_share.toFixed(4)).join(' '),
    );
    assert.equal(s.model, 'pretrained');
    assert.equal(s.subspace.k95, c.k_95);
    assert.equal(s.subspace.k, c.k);
    assert.equal(s.subspace.neverLit, c.never_lit_pixels);
    assert.equal(s.subspace.neverLitChange, 0);
    ['layer1', 'layer2', 'output'].forEach((l, i) => {
      close(s.subspace.layers[i].offShare, c.layers[l].off_share, 2e-3, `${l} off-span share`);
      close(s.subspace.layers[i].changeInShare, c.layers[l].change_in_share, 2e-3, `${l} change in span`);
      close(s.subspace.layers[i].offDrift, c.layers[l].off_drift, 5e-3, `${l} off drift`);
    });
    const png = await shot(page);
    const ink = inkStats(png);
    assert.ok(ink.ink > 0.2 && ink.colours > 50, `the view looks empty: ${JSON.stringify(ink)}`);
  });

  it('moves the split with the k slider', async () => {
    const before = await state(page);
    const hash = pixelHash(await shot(page));
    assert.deepEqual(await set(page, { k: 40 }), []);
    const s = await state(page);
    assert.equal(s.subspace.k, 40);
    assert.ok(
      s.subspace.layers[0].offShare > before.subspace.layers[0].offShare,
      'fewer directions leave more outside',
    );
    await waitFor('the view to change', async () => pixelHash(await shot(page)) !== hash, 5000);
    const c = runCli('subspace', '--k', '40');
    close(s.subspace.layers[0].offShare, c.layers.layer1.off_share, 2e-3, 'layer 1 off-span share at k = 40');
    assert.deepEqual(await set(page, { k: 0 }), ["k must be an integer from 1 to 784, not '0'"]);
    assert.deepEqual(await set(page, { k: before.subspace.k }), []);
  });

  it('takes k from the URL and applies it once the subspace is built', async () => {
    const other = await site.page();
    await other.goto(site.url + '?train=pretrained&view=subspace&k=40');
    const s = await waitFor(
      'the subspace',
      async () => {
        const s = await state(other);
        return s.subspace?.ready && s;
      },
      120000,
      250,
    );
    assert.equal(s.subspace.k, 40);
    assert.equal(s.error, null);
    assert.match(await other.evaluate(() => window.booksmart.shareUrl()), /[?&]k=40(&|$)/);
    await other.close();
  });

  it('compares the five directions and surveys the test 7s like `booksmart attack --directions all`', async () => {
    assert.deepEqual(await set(page, { view: 'attacks' }), []);
    const s = await waitFor(
      'the survey',
      async () => {
        const s = await state(page);
        return s.subspace.survey && s;
      },
      180000,
      500,
    );
    const one = runCli('attack', '--directions', 'all', '--index', String(s.digitIndex));
    for (const d of ['full', 'off-span', 'in-span', 'fgsm']) {
      const p = s.subspace.attack[d],
        c = one.directions[d];
      assert.equal(p.flipAlpha === null, c.flip_alpha === null, `${d}: flips in one and not the other`);
      if (c.flip_alpha !== null) close(p.flipAlpha, c.flip_alpha, 2e-3, `${d} flip alpha`);
    }
    close(
      s.subspace.linear.actual,
      one.linear_view.actual,
      1e-2 * Math.abs(one.linear_view.actual),
      'logit change at the flip',
    );
    const all = runCli('attack', '--directions', 'all', '--all');
    console.log(
      '# flip rate at alpha 1, page:',
      JSON.stringify(s.subspace.survey.rateAt1),
      ' CLI:',
      JSON.stringify(Object.fromEntries(Object.entries(all.directions).map(([k, v]) => [k, v.flip_rate_at_1]))),
    );
    assert.equal(s.subspace.survey.images, all.images);
    for (const [d, v] of Object.entries(all.directions)) {
      close(s.subspace.survey.rateAt1[d], v.flip_rate_at_1, 0.01, `${d} flip rate at 1`);
      if (v.median_flip_alpha !== null)
        close(s.subspace.survey.medianFlipAlpha[d], v.median_flip_alpha, 0.01, `${d} median alpha`);
    }
    assert.ok(s.subspace.survey.rateAt1.full > s.subspace.survey.rateAt1.random + 0.5, 'the pattern beats noise');
    const ink = inkStats(await shot(page));
    assert.ok(ink.ink > 0.2 && ink.colours > 50, `the view looks empty: ${JSON.stringify(ink)}`);
  });

  it('trains a street-smart model beside it whose noise fades and whose attack gets harder', async () => {
    assert.deepEqual(await set(page, { streetSmart: { fgsm: 0.7 } }), [
      "streetSmart.fgsm must be a number from 0 to 0.5, not '0.7'",
    ]);
    assert.deepEqual(
      await set(page, {
        view: 'compare',
        streetSmart: { weightDecay: 0.001, fgsm: 0.1, inputNoise: 0, initScale: 1 },
        streetPlaying: true,
      }),
      [],
    );
    // Epochs grow 4,096, 8,192, ... images: seven are about four passes over the 60,000.
    await waitFor(
      'seven street-smart epochs',
      async () => (await state(page)).compare.epochsCompleted >= 7,
      240000,
      500,
    );
    assert.deepEqual(await set(page, { streetPlaying: false }), []);
    const s = await waitFor(
      'both surveys of the paused models',
      async () => {
        const s = await state(page);
        return s.compare.bookSmart.survey?.current && s.compare.streetSmart.survey?.current && s;
      },
      180000,
      500,
    );
    const book = s.compare.bookSmart,
      street = s.compare.streetSmart;
    console.log('# book-smart:', JSON.stringify({ acc: book.accuracy, off: book.offShare, rate: book.survey.rateAt1 }));
    console.log(
      '# street-smart:',
      JSON.stringify({ acc: street.accuracy, off: street.offShare, rate: street.survey.rateAt1 }),
    );
    assert.ok(street.accuracy > 0.94, `street-smart accuracy ${street.accuracy}`);
    assert.ok(street.offShare[2] < book.offShare[2] - 0.15, 'less of the output patterns lies off the data');
    assert.ok(street.survey.rateAt1.full < book.survey.rateAt1.full - 0.3, 'the pattern attack gets harder');
    close(book.survey.rateAt1.full, 0.9899799599198397, 1e-9, 'book-smart side is the pretrained model');
    // Perceptual alignment: the page's book-smart side against `booksmart compare` on the same model.
    const aligned = await waitFor(
      'the alignment of both sides',
      async () => {
        const s = await state(page);
        return s.compare.bookSmart.alignment?.current && s.compare.streetSmart.alignment?.current && s;
      },
      120000,
      500,
    );
    const cliAlign = JSON.parse(
      execFileSync(cli, ['compare', '--a', model, '--b', model, '--data', mnist, '--json'], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    ).models[0].alignment;
    const pageAlign = aligned.compare.bookSmart.alignment;
    console.log('# alignment, page:', JSON.stringify(pageAlign), ' CLI:', JSON.stringify(cliAlign));
    for (let l = 0; l < 3; ++l) close(pageAlign.layers[l], cliAlign.layers[l], 1e-4, `alignment of layer ${l + 1}`);
    close(pageAlign.gradient, cliAlign.gradient, 1e-4, 'gradient alignment');
    assert.equal(pageAlign.images, cliAlign.images);
    const ink = inkStats(await shot(page));
    assert.ok(ink.ink > 0.15 && ink.colours > 50, `the view looks empty: ${JSON.stringify(ink)}`);
  });

  it('trains the street-smart model with PGD when asked', async () => {
    assert.deepEqual(await set(page, { streetSmart: { pgdSteps: 2.5 } }), [
      "streetSmart.pgdSteps must be an integer from 1 to 20, not '2.5'",
    ]);
    assert.deepEqual(
      await set(page, { streetSmart: { pgd: 0.1, pgdSteps: 3 }, streetReset: true, streetPlaying: true }),
      [],
    );
    const s = await waitFor(
      'two PGD street-smart epochs',
      async () => {
        const s = await state(page);
        return s.compare.epochsCompleted >= 2 && s;
      },
      120000,
      500,
    );
    close(s.compare.options.pgd, 0.1, 1e-6, 'PGD epsilon');
    assert.equal(s.compare.options.pgdSteps, 3);
    assert.equal(s.compare.adversarial.method, 'pgd', 'the running trainer attacks with PGD');
    assert.equal(s.compare.adversarial.steps, 3);
    assert.deepEqual(await set(page, { streetPlaying: false }), []);
  });
});
