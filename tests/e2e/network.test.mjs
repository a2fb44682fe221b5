// The page on a bad network (the project's server injecting faults): dropped connections, server errors and
// stalls are retried and the data ends up complete and exactly once; a missing or truncated file is reported by
// name, everything that arrived stays, training goes on, and the UI never freezes.   node network.test.mjs SITE
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { datasetChecksum, openSite, state, waitFor } from './harness.mjs';
import { faultyHandler } from './faults.mjs';

const siteDir = process.argv[2];
const mnist = path.join(siteDir, 'assets', 'mnist');

const expectedChecksum = () => datasetChecksum(mnist);

async function withFaults(rules, body) {
  const handle = faultyHandler(rules);
  const site = await openSite(siteDir, { handle });
  try {
    const page = await site.page();
    await page.goto(site.url);
    await body(page, handle);
  } finally {
    handle.closeStalled();
    await site.close();
  }
}

describe('the page on a bad network', () => {
  it('retries a dropped connection and server errors, and ends with every image exactly once', async () => {
    await withFaults(
      {
        'train-images-idx3-ubyte.gz': [{ dropAfter: 3_000_000 }, { dropAfter: 6_000_000 }],
        't10k-labels-idx1-ubyte.gz': [{ status: 500 }, { status: 503 }],
      },
      async (page, handle) => {
        await waitFor('all 70,000 images', async () => (await state(page)).imagesLoaded === 70000, 120000);
        const s = await state(page);
        assert.match(s.error, /train-images-idx3-ubyte: .*retrying/);
        assert.match(s.error, /t10k-labels-idx1-ubyte: HTTP 500/);
        assert.equal(handle.requests('train-images-idx3-ubyte.gz'), 3);
        assert.equal(await page.evaluate(() => window.booksmart.checksum()), expectedChecksum());
      },
    );
  });

  it('notices a stalled download, retries it, and completes', async () => {
    await withFaults({ 'train-labels-idx1-ubyte.gz': [{ stallAfter: 10_000 }] }, async (page, handle) => {
      const s = await waitFor(
        'all 70,000 images',
        async () => {
          const s = await state(page);
          return s.imagesLoaded === 70000 && s;
        },
        60000,
      );
      assert.match(s.error, /train-labels-idx1-ubyte: no data for 8 s; retrying/);
      assert.ok(s.rafFps > 5, `the UI kept drawing (${s.rafFps} fps)`);
      // The page gave up on the stalled attempt and closed its connection (the offline cache's copy of the body
      // would otherwise keep it open).
      await waitFor('the stalled connection closed', async () => handle.stalledOpen() === 0, 10000);
      assert.equal(await page.evaluate(() => window.booksmart.checksum()), expectedChecksum());
    });
  });

  it('reports a missing file by name and keeps everything else working', async () => {
    await withFaults({ 'train-labels-idx1-ubyte.gz': [{ status: 404, always: true }] }, async (page, handle) => {
      const s = await waitFor(
        'the test set and the error',
        async () => {
          const s = await state(page);
          return s.testImages === 10000 && /train-labels-idx1-ubyte: HTTP 404/.test(s.error || '') && s;
        },
        60000,
      );
      assert.equal(handle.requests('train-labels-idx1-ubyte.gz'), 1, 'a 404 is final: no retries');
      assert.equal(s.trainImages, 0, 'no image without its label');
      assert.equal(s.model, 'pretrained');
      // The figures still work: the overlay's prediction comes with the first analysis pass, which may end a few
      // frames after the test set does (a CI run once read -1 at the moment the error arrived).
      await waitFor('the figures (a prediction)', async () => (await state(page)).prediction !== -1, 30000);
      await waitFor('the UI to keep drawing', async () => (await state(page)).rafFps > 5, 10000);
    });
  });

  it('keeps the images of a truncated file, says so, and trains on them', async () => {
    await withFaults(
      { 'train-images-idx3-ubyte.gz': [{ truncate: 4_000_000, always: true }] },
      async (page, handle) => {
        const s = await waitFor(
          'the final error',
          async () => {
            const s = await state(page);
            return /train-images-idx3-ubyte: .*after 5 attempts/.test(s.error || '') && s;
          },
          90000,
        );
        assert.equal(handle.requests('train-images-idx3-ubyte.gz'), 5);
        assert.ok(s.trainImages > 10000 && s.trainImages < 60000, `${s.trainImages} training images kept`);
        assert.equal(s.phase, 'training');
        const later = await waitFor(
          'training to go on',
          async () => {
            const t = await state(page);
            return t.step > s.step + 100 && t;
          },
          20000,
        );
        assert.equal(later.trainImages, s.trainImages, 'no image is added or lost afterwards');
      },
    );
  });
});
