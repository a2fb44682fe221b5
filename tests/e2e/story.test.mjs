// The figure follows the text: each section of the article sets the figure's state (from its data-figure
// attribute, through set()), with a short glide unless the reader asked for less motion; the reader can take
// the controls and "Back to the story" restores the section's state; controls inside the prose are bound to
// the same state; a link that names a view keeps it until the reader follows the story; on a phone the figure
// stays on top of the text.   node story.test.mjs SITE_DIR
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { frames, openSite, state, set, waitFor } from './harness.mjs';

const siteDir = process.argv[2];
let site;
const story = (page) => page.evaluate(() => window.booksmart.story());

async function open(query = '', viewport = { width: 1280, height: 900 }, device = {}, media = null) {
  const page = await site.page(viewport, device);
  if (media) await page.emulateMedia(media);
  await page.goto(site.url + 'index.html' + query);
  await waitFor('the first figure', async () => (await state(page)).timings.firstFigure !== undefined, 60000);
  return page;
}

// The sections that drive the figure, in order: their titles and the state each one documents.
const sections = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('section[data-figure]')].map((s) => ({
      title: s.querySelector('h2').textContent,
      state: JSON.parse(s.dataset.figure),
    })),
  );

// Scrolls until the section's heading is a little above the line the story reads at.
async function scrollTo(page, title) {
  await page.evaluate((t) => {
    const h = [...document.querySelectorAll('section[data-figure] h2')].find((e) => e.textContent === t);
    const line = innerHeight * (innerWidth >= 1280 ? 0.5 : 0.75);
    window.scrollTo(0, h.getBoundingClientRect().top + scrollY - line + 40);
  }, title);
}

// Whether state() shows every field of `want` (numbers to within 1e-6).
function shows(s, want) {
  return Object.entries(want).every(([k, v]) => (typeof v === 'number' ? Math.abs(s[k] - v) < 1e-6 : s[k] === v));
}

async function reaches(page, title, want) {
  await waitFor(
    `the figure to show "${title}"`,
    async () => {
      const [st, s] = [await story(page), await state(page)];
      return st.section === title && !st.gliding && shows(s, want);
    },
    8000,
    100,
  );
}

describe('the figure follows the story', () => {
  before(async () => {
    site = await openSite(siteDir);
  });
  after(async () => site.close());

  it("sets each section's documented state as the reader scrolls to it", async () => {
    const page = await open();
    const list = await sections(page);
    assert.ok(list.length >= 6, `${list.length} sections drive the figure`);
    const views = new Set();
    for (const { title, state: want } of list) {
      await scrollTo(page, title);
      await reaches(page, title, want);
      assert.deepEqual((await story(page)).errors, [], `set() took all of "${title}"`);
      views.add(want.view);
    }
    assert.ok(views.size >= 5, `the story shows ${views.size} views`);
    // On a wide screen the figure stays beside the text the whole way.
    const box = await page.locator('#booksmart-frame').boundingBox();
    assert.ok(
      box.y >= 0 && box.y < 120 && box.x > 500,
      `the figure is in view beside the text: ${JSON.stringify(box)}`,
    );
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('glides alpha to the section\'s value, and "Back to the story" restores it after the reader changed it', async () => {
    const page = await open();
    const overlay = (await sections(page)).find((s) => s.state.view === 'overlay');
    await scrollTo(page, overlay.title);
    await reaches(page, overlay.title, overlay.state);
    assert.equal(await page.isHidden('#story-back'), true, 'no way back is offered while the figure is on the story');
    assert.deepEqual(await set(page, { alpha: 1.4, digit: 3 }), []); // the reader takes the controls
    await waitFor('"Back to the story"', async () => page.isVisible('#story-back'), 3000);
    assert.equal((await story(page)).onStory, false);
    // On the way back alpha passes through values in between: a transition, not a jump.
    await page.click('#story-back');
    // Every frame's alpha until the figure is back on the story's.
    const seen = new Set();
    await waitFor(
      "the story's alpha again",
      async () => {
        const alpha = (await state(page)).alpha;
        seen.add(alpha);
        return Math.abs(alpha - overlay.state.alpha) < 1e-4; // float32 in the app
      },
      5000,
      0,
    );
    assert.ok(
      [...seen].some((a) => a > overlay.state.alpha + 0.05 && a < 1.35),
      `alpha went ${[...seen].join(', ')}`,
    );
    await reaches(page, overlay.title, overlay.state);
    await waitFor('the button to go', async () => page.isHidden('#story-back'), 3000);
    await page.close();
  });

  it('jumps without a transition when the reader asked for reduced motion', async () => {
    const page = await open('', { width: 1280, height: 900 }, {}, { reducedMotion: 'reduce' });
    const overlay = (await sections(page)).find((s) => s.state.view === 'overlay');
    await scrollTo(page, overlay.title);
    await waitFor('the overlay section', async () => (await story(page)).section === overlay.title, 8000, 100);
    assert.deepEqual(await set(page, { alpha: 1.4 }), []);
    await waitFor('"Back to the story"', async () => page.isVisible('#story-back'), 3000);
    await page.click('#story-back');
    const s = await state(page);
    assert.ok(Math.abs(s.alpha - overlay.state.alpha) < 1e-6, `alpha is ${s.alpha} right after the click`);
    assert.equal((await story(page)).gliding, false);
    await page.close();
  });

  it('binds the controls inside the prose to the figure, both ways', async () => {
    const page = await open();
    const overlay = (await sections(page)).find((s) => s.state.view === 'overlay');
    await scrollTo(page, overlay.title);
    await reaches(page, overlay.title, overlay.state);
    const slider = page.locator('input[data-bind="alpha"]');
    await slider.fill('1.2');
    await waitFor("alpha from the prose's slider", async () => Math.abs((await state(page)).alpha - 1.2) < 1e-6, 3000);
    assert.deepEqual(await set(page, { alpha: 0.8 }), []);
    await waitFor("the prose's slider to follow", async () => (await slider.inputValue()) === '0.8', 3000);
    const s = await state(page);
    await waitFor(
      'the prose to say what the network reads',
      async () => (await page.textContent('output[data-bind-value="prediction"]')) === String(s.prediction),
      3000,
    );
    const picker = page.locator('select[data-bind="selectedNeuron"]');
    await picker.selectOption('1:4');
    await waitFor("the neuron from the prose's picker", async () => (await state(page)).selectedNeuron === '1:4', 3000);
    await page.close();
  });

  it('keeps the view a link names until the reader follows the story', async () => {
    const page = await open('?view=draw&train=pretrained');
    await page.mouse.wheel(0, 1500);
    await waitFor('the page to scroll', async () => (await page.evaluate(() => window.scrollY)) > 0, 3000);
    await frames(page, 10);
    assert.equal((await state(page)).view, 'draw', "scrolling does not take the link's view away");
    await waitFor(
      '"Follow the story"',
      async () => (await page.textContent('#story-back')) === 'Follow the story',
      3000,
    );
    await page.click('#story-back');
    const st = await waitFor(
      'the story',
      async () => {
        const st = await story(page);
        return st.following && st;
      },
      3000,
    );
    await reaches(page, st.section, st.state);
    await page.close();
  });

  it('keeps the figure on top of the text on a phone, showing the view alone', async () => {
    const page = await open('', { width: 390, height: 844 }, { hasTouch: true, isMobile: true, deviceScaleFactor: 3 });
    for (const { title, state: want } of await sections(page)) {
      await scrollTo(page, title);
      await reaches(page, title, want);
      const box = await page.locator('#booksmart-frame').boundingBox();
      assert.ok(
        box.y >= 0 && box.y + box.height <= 844 * 0.75 && box.height <= 844 * 0.55,
        `"${title}": the figure is at ${box.y} px, ${box.height} px tall, above the text`,
      );
      assert.equal((await state(page)).compact, true, 'the view alone');
    }
    // The whole figure: in the flow, with its controls, as tall as the view.
    await page.click('#figure-expand');
    await waitFor('the whole figure', async () => !(await state(page)).compact, 3000);
    const s = await state(page);
    await waitFor(
      'the frame to grow',
      async () =>
        (await page.locator('#booksmart-frame').boundingBox()).height >= Math.min(s.layout.contentHeight, 420) - 1,
      3000,
    );
    await page.close();
  });
});
