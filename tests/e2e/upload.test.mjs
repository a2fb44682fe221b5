// Model files a reader picks in the page: a valid one replaces the model on view; anything else is named in a
// notice and leaves the model, the data and the view as they were.   node upload.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openSite, state, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
const model = fs.readFileSync(path.join(siteDir, 'assets', 'pretrained.safetensors'));
let site, page;

async function upload(name, buffer) {
  await page.setInputFiles('#booksmart-model-file', { name, mimeType: 'application/octet-stream', buffer });
}

describe('picking a model file', () => {
  before(async () => {
    site = await openSite(siteDir);
    page = await site.page();
    await page.goto(site.url + '?train=pretrained&view=overlay');
    await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 30000);
  });
  after(async () => site.close());

  const hostile = [
    ['not-a-model.safetensors', Buffer.from('this is not a model'), /not-a-model\.safetensors: .*header length/],
    [
      'header-too-long.safetensors',
      Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0, 0, 0, 0, 0]), Buffer.from('{}')]),
      /header-too-long\.safetensors/,
    ],
    ['truncated.safetensors', model.subarray(0, model.length - 1000), /truncated\.safetensors/],
    [
      'nan.safetensors',
      (() => {
        const b = Buffer.from(model);
        b.writeFloatLE(NaN, b.length - 4);
        return b;
      })(),
      /nan\.safetensors: .*(finite|NaN)/i,
    ],
  ];
  for (const [name, bytes, message] of hostile) {
    it(`refuses ${name} with a notice and keeps everything as it was`, async () => {
      const before = await state(page);
      await upload(name, bytes);
      const after = await waitFor(
        'the notice',
        async () => {
          const s = await state(page);
          return message.test(s.error || '') && s;
        },
        10000,
      );
      assert.match(after.error, /unchanged/);
      for (const k of [
        'model',
        'modelLabel',
        'prediction',
        'confidence',
        'flipAlpha',
        'view',
        'alpha',
        'selectedNeuron',
      ])
        assert.deepEqual(after[k], before[k], k);
      assert.equal(after.imagesLoaded >= before.imagesLoaded, true);
    });
  }

  it('shows a valid model file', async () => {
    await upload('mine.safetensors', model);
    const s = await waitFor(
      'the new model',
      async () => {
        const s = await state(page);
        return /mine\.safetensors/.test(s.modelLabel) && s;
      },
      10000,
    );
    assert.equal(s.model, 'pretrained');
    assert.deepEqual(page.problems, []);
  });
});
