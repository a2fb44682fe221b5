// The live model trained in a Web Worker (the default; ?trainer=page trains in the page's own thread): the same
// seed reaches the same weights in either, the page's frames carry no training, only the worker keeps the
// training images until a view that reads them is opened, and the worker's heap is counted.
//   node worker.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { frames, openSite, state, waitFor } from './harness.mjs';
import { faultyHandler } from './faults.mjs';

const siteDir = process.argv[2];
const STEP = 600; // past two epoch ends (128 and 384 steps) and the checkpoint at 400
let site;

// Opens the page, trains to STEP and returns the state there. The overlay's image is named: left to itself,
// the page picks the first 7 that the model reads correctly at its first analysis, and how far training has
// got by then depends on timing.
async function trainTo(query) {
  const page = await site.page();
  await page.goto(site.url + '?seed=5&step=' + STEP + '&view=overlay&image=0' + query);
  await waitFor(
    'step ' + STEP,
    async () => {
      const s = await state(page);
      return s.phase === 'paused' && s.step === STEP && s.epochAccuracies.length === 2 && s.analysisGeneration > 0 && s;
    },
    120000,
    250,
  );
  // The overlay's prediction comes from the analysis, which follows the final weights at its next pass (the
  // worker's last report may arrive after the pause): wait until it describes them, and stays so.
  const settled = await waitFor(
    'a current analysis of the final weights',
    async () => {
      const a = await state(page);
      await frames(page, 30);
      const b = await state(page);
      return a.analysisCurrent && b.analysisCurrent && b.analysisGeneration === a.analysisGeneration && b;
    },
    20000,
  );
  return { page, s: settled };
}

describe('training in a Web Worker', () => {
  let inPage, inWorker;
  before(async () => {
    // For the two runs compared below, the test set arrives before the training set, so that both measure
    // their first epoch's end on all of it: left to chance, the worker can reach it before any test image (an
    // entry of null there, of the shipped samples in the page). Later pages are served as they come.
    const test = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    const after = { after: test };
    site = await openSite(siteDir, {
      csp: true,
      handle: faultyHandler({
        [test[0]]: [{}, {}],
        [test[1]]: [{}, {}],
        'train-images-idx3-ubyte.gz': [after, after],
        'train-labels-idx1-ubyte.gz': [after, after],
      }),
    });
    inPage = await trainTo('&trainer=page');
    inWorker = await trainTo('');
  });
  after(async () => {
    await inPage.page.close();
    await inWorker.page.close();
    await site.close();
  });

  it('is the trainer the URL asked for', () => {
    assert.equal(inPage.s.trainer, 'page');
    assert.equal(inWorker.s.trainer, 'worker');
  });

  it('reaches the same weights as training in the page, bit for bit', () => {
    assert.deepEqual(inWorker.s.epochLosses, inPage.s.epochLosses);
    assert.deepEqual(inWorker.s.epochAccuracyImages, [10000, 10000], 'both epoch ends measured on the whole test set');
    assert.deepEqual(inWorker.s.epochAccuracies, inPage.s.epochAccuracies);
    assert.equal(inWorker.s.loss, inPage.s.loss);
    assert.equal(inWorker.s.digitIndex, 0);
    assert.equal(inPage.s.digitIndex, 0);
    assert.deepEqual(inWorker.s.probabilities, inPage.s.probabilities);
    assert.equal(inWorker.s.testAccuracy, inPage.s.testAccuracy);
  });

  it("keeps training out of the page's frames", async () => {
    const page = await site.page();
    await page.goto(site.url + '?seed=5');
    const s = await waitFor(
      'training in the worker',
      async () => {
        const s = await state(page);
        return s.step > 300 && s;
      },
      60000,
      250,
    );
    // The page's frames still evaluate the test accuracy at checkpoints (a few frames a second); the rest
    // spend nothing on training.
    const trainMs = [];
    for (let i = 0; i < 11; ++i) {
      trainMs.push((await state(page)).trainMs);
      await frames(page, 5); // samples a few frames apart
    }
    assert.equal(
      trainMs.sort((a, b) => a - b)[5],
      0,
      'the median frame spends no time training: ' + trainMs.join(', '),
    );
    assert.ok(s.imagesPerSecond > 0, 'the worker reports its pace');
    const later = await waitFor(
      'more steps',
      async () => {
        const t = await state(page);
        return t.step > s.step + 100 && t;
      },
      30000,
      250,
    );
    assert.ok(
      later.workerHeapBytes > 0 && later.heapBytes > later.workerHeapBytes,
      "the worker's heap is counted with the page's",
    );
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('keeps one copy of the training set, in the worker, until a view here reads it', async () => {
    const page = await site.page();
    await page.goto(site.url + '?seed=5');
    const s = await waitFor(
      'the whole training set',
      async () => {
        const s = await state(page);
        return s.trainImages === 60000 && s.step > 0 && s;
      },
      60000,
      250,
    );
    assert.equal(s.trainingSetCopy, 'counted', 'the page counted the training images and kept none');
    assert.ok(s.heapBytes <= 128 * 2 ** 20, `page and worker hold ${(s.heapBytes / 2 ** 20).toFixed(0)} MiB, over 128`);
    await page.evaluate(() => window.booksmart.set({ view: 'subspace' }));
    const t = await waitFor(
      'the subspace, from a copy of its own',
      async () => {
        const t = await state(page);
        return t.subspace.ready && t;
      },
      120000,
      250,
    );
    assert.equal(t.trainingSetCopy, 'kept');
    assert.equal(t.trainImages, 60000);
    const pageHeap = (x) => x.heapBytes - x.workerHeapBytes;
    assert.ok(
      pageHeap(t) >= pageHeap(s) + 47e6,
      `the page's heap grew by ${((pageHeap(t) - pageHeap(s)) / 1e6).toFixed(1)} MB, less than the 47 MB it did not hold before`,
    );
    assert.ok(t.step > s.step, 'the worker trained on meanwhile');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  // A worker that cannot run (its script or its WebAssembly blocked or missing): the reader is told, and the
  // live model trains in the page instead, on a copy of the training set the page fetches for itself.
  for (const [what, blocked] of [
    ['script', '/trainer-worker.js'],
    ['WebAssembly', '/booksmart-trainer.wasm'],
  ]) {
    it(`trains in the page when the worker's ${what} cannot load`, async () => {
      const refusing = await openSite(siteDir, {
        csp: true,
        handle: (req, res) => {
          if (!req.url.startsWith(blocked)) return false;
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('blocked');
          return true;
        },
      });
      try {
        const page = await refusing.page();
        await page.goto(refusing.url + '?seed=5');
        const s = await waitFor(
          'training in the page',
          async () => {
            const s = await state(page);
            return s.trainer === 'page' && s.step > 200 && s;
          },
          60000,
          250,
        );
        assert.match(String(s.error), /training worker failed/);
        assert.equal(s.workerHeapBytes, 0);
        assert.equal(s.trainingSetCopy, 'kept', 'the page holds the training images it trains on');
      } finally {
        await refusing.close();
      }
    });
  }

  it('logs no errors, under a strict Content-Security-Policy', () => {
    assert.deepEqual(inPage.page.problems, []);
    assert.deepEqual(inWorker.page.problems, []);
  });
});
