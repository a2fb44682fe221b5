// The page as a reader gets it, measured in headless Chromium: time from opening to the first figure, to all of
// MNIST, to 95 % and 97 % test accuracy; frames per second from requestAnimationFrame timestamps while training;
// how often the analysis (dataset features) refreshes; the WebAssembly heap over time. Then the Robustness view
// opened on the model as it trains: the frame rate, the app's work per frame, training's pace, and how long the
// survey's passes take in frame slices.
//   node bench/page_metrics.mjs [SITE_DIR] [SECONDS] [ROBUSTNESS_SECONDS]   (run.mjs calls measurePage())
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/browser.mjs';

// One measurement in a fresh server and browser, both closed whatever happens: fn(page, server).
export async function withPage(siteDir, viewport, fn) {
  const server = await startServer({ root: siteDir, port: 0, quiet: true });
  const browser = await launch();
  try {
    return await fn(await browser.newPage({ viewport }), server);
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function measurePage(siteDir, seconds = 20, robustSeconds = 60) {
  return withPage(siteDir, { width: 1200, height: 900 }, async (page, server) => {
    await page.goto(server.url);
    const samples = [];
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(500);
      const s = await page.evaluate(() => window.booksmart.state());
      samples.push({
        t: (Date.now() - t0) / 1000,
        fps: s.rafFps,
        heap: s.heapBytes,
        gen: s.analysisGeneration,
        images: s.imagesLoaded,
        acc: s.testAccuracy,
        phase: s.phase,
        timings: s.timings,
        ips: s.imagesPerSecond,
      });
    }
    const last = samples[samples.length - 1];
    const training = samples.filter((x) => x.phase === 'training' && x.images === 70000);
    const fps = training.map((x) => x.fps).sort((a, b) => a - b);
    const span = training.length > 1 ? training[training.length - 1].t - training[0].t : 0;
    const refreshes = training.length > 1 ? (training[training.length - 1].gen - training[0].gen) / span : 0;
    const heaps = samples.filter((x) => x.images === 70000).map((x) => x.heap);
    const whileTraining = await measureRobustnessView(
      page,
      { view: 'robustness', model: 'live', playing: true },
      robustSeconds,
    );
    const paused = await measureRobustnessView(
      page,
      { view: 'robustness', model: 'pretrained', playing: false },
      robustSeconds,
    );
    return {
      robustness_view_while_training: whileTraining,
      robustness_view_pretrained_paused: paused,
      timings_ms: last.timings,
      raf_fps_while_training: fps.length
        ? { median: fps[fps.length >> 1], min: fps[0], max: fps[fps.length - 1] }
        : null,
      analysis_refreshes_per_s: refreshes,
      heap_bytes_after_data: heaps.length
        ? { first: heaps[0], last: heaps[heaps.length - 1], max: Math.max(...heaps) }
        : null,
      images_per_s_in_page: training.length ? training[training.length - 1].ips : null,
      test_accuracy_at_end: last.acc,
      seconds,
    };
  });
}

const spread = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] } : null;
};

// The Robustness view's survey runs in 5 ms slices between frames (each pass on a snapshot of the model on view;
// a new pass starts when one ends and the model has moved on): once on the live model as it trains, once on the
// pretrained model with training paused, where only the survey shares the frames.
async function measureRobustnessView(page, settings, seconds) {
  const refused = await page.evaluate((v) => window.booksmart.set(v), settings);
  if (refused.length) throw new Error('bench: the page refused ' + refused.join('; '));
  const samples = [];
  const t0 = Date.now();
  const passEnds = []; // seconds after the view opened at which each pass was seen finished
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(500);
    const s = await page.evaluate(() => window.booksmart.state());
    const t = (Date.now() - t0) / 1000;
    const survey = s.robustness && s.robustness.survey;
    while (survey && survey.passes > passEnds.length) passEnds.push(t);
    samples.push({
      t,
      fps: s.rafFps,
      appMs: s.medianAppMs,
      trainMs: s.trainMs,
      ips: s.imagesPerSecond,
      step: s.step,
      passes: survey ? survey.passes : 0,
      images: survey ? survey.images : 0,
      total: survey ? survey.total : 0,
    });
  }
  const last = samples[samples.length - 1];
  // Training's pace from its step counter (steps of one minibatch), over the whole window.
  const stepsPerS = (last.step - samples[0].step) / (last.t - samples[0].t);
  return {
    seconds,
    raf_fps: spread(samples.map((x) => x.fps)),
    median_app_ms: spread(samples.map((x) => x.appMs)),
    train_ms_per_frame: spread(samples.map((x) => x.trainMs)),
    training_steps_per_s: stepsPerS,
    images_per_s_in_page: spread(samples.map((x) => x.ips)),
    survey_images: last.total,
    passes: last.passes,
    // Each pass's duration, to the 0.5 s sampling: the first from the view's opening.
    pass_seconds: passEnds.map((t, i) => t - (i ? passEnds[i - 1] : 0)),
  };
}

// What CPU throttling does to a frame by itself, without the app: a blank page runs the same fixed piece of
// JavaScript once per animation frame, 300 frames unthrottled and 300 at `rate`. The throttled frames' median
// over the unthrottled median is the slowdown the emulation applies on this machine, and their maximum is how
// late a frame with that little work can be: a floor under the app's worst throttled frame.
export async function measureThrottle(siteDir, { rate = 4, iterations = 200000 } = {}) {
  return withPage(siteDir, { width: 390, height: 844 }, async (page) => {
    await page.setContent('<!doctype html><title>throttle probe</title>');
    const cdp = await page.context().newCDPSession(page);
    const frames = (n) =>
      page.evaluate(
        ({ n, frames }) =>
          new Promise((done) => {
            const ms = [];
            let sink = 0;
            const frame = () => {
              const t = performance.now();
              for (let i = 0; i < n; ++i) sink += Math.sqrt(i);
              ms.push(performance.now() - t);
              if (ms.length < frames) requestAnimationFrame(frame);
              else {
                window.sink = sink;
                ms.sort((a, b) => a - b);
                done({ median: ms[frames >> 1], p95: ms[Math.floor(frames * 0.95)], max: ms[frames - 1] });
              }
            };
            requestAnimationFrame(frame);
          }),
        { n, frames: 300 },
      );
    await frames(iterations); // warm-up: the loop compiled before it is timed
    const unthrottled = await frames(iterations);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const throttled = await frames(iterations);
    return {
      rate,
      iterations,
      unthrottled_ms: unthrottled,
      throttled_ms: throttled,
      slowdown: throttled.median / unthrottled.median,
    };
  });
}

// The page on a slower device: Chromium's CPU throttling (CDP Emulation.setCPUThrottlingRate; `rate` 4 stands
// for a phone-class core) at a phone's viewport (device pixel ratio 1: a phone draws with its own GPU, while
// this machine's software GL would dominate at 3). Milestones from opening; frame figures once all of MNIST
// is in and the model trains. The accuracy milestones are the page's test accuracy at that moment, over the
// number of test images named beside them (the whole set at epoch ends, the first 2,000 in between).
export async function measureDevice(siteDir, { rate = 4, width = 390, height = 844, seconds = 30, query = '' } = {}) {
  return withPage(siteDir, { width, height }, async (page, server) => {
    if (rate > 1) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    }
    await page.goto(server.url + query);
    const samples = [];
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(500);
      const s = await page.evaluate(() => window.booksmart.state());
      samples.push({
        fps: s.rafFps,
        worst: s.worstFrameMs,
        heap: s.heapBytes,
        workerHeap: s.workerHeapBytes,
        images: s.imagesLoaded,
        phase: s.phase,
        timings: s.timings,
        ips: s.imagesPerSecond,
        frames: s.framesDrawn,
        presented: s.framesPresented,
        t: performance.now(),
      });
    }
    const after = samples.filter((x) => x.phase === 'training' && x.images === 70000);
    // worstFrameMs is the slowest of the app's last 240 frames: only once that window holds no frame from before
    // the data arrived (the first figure's whole pass, start-up) does it measure the frames after.
    const dataFrame = after.length ? after[0].frames : Infinity;
    const settled = after.filter((x) => x.frames >= dataFrame + 240);
    const timings = samples[samples.length - 1].timings;
    return {
      cpu_throttling: rate,
      viewport: [width, height],
      seconds,
      query,
      images_per_s_while_training: spread(after.map((x) => x.ips)),
      first_figure_ms: timings.firstFigure ?? null,
      data_streamed_ms: timings.dataStreamed ?? null,
      accuracy95_ms: timings.accuracy95 ?? null,
      accuracy95_test_images: timings.accuracy95Images ?? null,
      accuracy97_ms: timings.accuracy97 ?? null,
      accuracy97_test_images: timings.accuracy97Images ?? null,
      raf_fps_while_training: spread(after.map((x) => x.fps)),
      // Frames the page drew and handed to the display (it skips a frame whose picture is unchanged), per second
      // between consecutive samples.
      presented_fps_while_training: spread(
        after.slice(1).map((x, i) => (1000 * (x.presented - after[i].presented)) / (x.t - after[i].t)),
      ),
      worst_frame_ms: settled.length ? Math.max(...settled.map((x) => x.worst)) : null,
      heap_bytes: after.length ? Math.max(...after.map((x) => x.heap)) : null,
      worker_heap_bytes: after.length ? Math.max(...after.map((x) => x.workerHeap)) : null,
    };
  });
}

// The page's default (live model training in the worker) left to train for `epochs` epochs: the WebAssembly
// heap of the page and the worker together once all of MNIST has arrived, sampled every second. Issue: it must
// stay flat, with one copy of the training set (in the worker).
export async function measureHeapOverEpochs(siteDir, epochs = 50, limitSeconds = 240) {
  return withPage(siteDir, { width: 1200, height: 900 }, async (page, server) => {
    await page.goto(server.url);
    const heaps = [];
    let s;
    const t0 = Date.now();
    for (;;) {
      await page.waitForTimeout(1000);
      s = await page.evaluate(() => window.booksmart.state());
      if (s.imagesLoaded === 70000) heaps.push(s.heapBytes);
      if (s.epochsCompleted >= epochs || Date.now() - t0 > limitSeconds * 1000) break;
    }
    return {
      epochs_completed: s.epochsCompleted,
      seconds: (Date.now() - t0) / 1000,
      samples: heaps.length,
      heap_bytes: heaps.length ? { first: heaps[0], last: heaps[heaps.length - 1], max: Math.max(...heaps) } : null,
      worker_heap_bytes: s.workerHeapBytes ?? null,
    };
  });
}

// CPU seconds (user + system) used so far by every process this one started: Chromium's browser, renderer and
// GPU processes. Same-site iframes share the page's renderer, so their cost cannot be read per frame; it is
// read for the whole browser, in a state where only the embeds in question could be working.
function childCpuSeconds() {
  const parent = new Map();
  const ticks = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
      parent.set(Number(name), Number(f[1]));
      ticks.set(Number(name), Number(f[11]) + Number(f[12]));
    } catch {
      /* the process ended meanwhile */
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p; p = parent.get(p)) {
      if (p === process.pid) {
        total += t;
        break;
      }
    }
  }
  return total / 100; // USER_HZ is 100 on Linux
}

// embed-demo.html (three embeds, as a blog has them), 1200x900: each embed is scrolled into view once so that
// its lazy frame loads and starts. Then, at the top of the page with only the first in view: the frames each
// draws per second over `seconds` (the two below should draw none) and the WebAssembly heap of all three.
// Last, with all three scrolled out of view, the share of a core the whole browser uses; then the same with
// the three frames removed. The difference is what the paused embeds cost.
export async function measureEmbeds(siteDir, seconds = 10) {
  return withPage(siteDir, { width: 1200, height: 900 }, async (page, server) => {
    await page.goto(server.url + 'embed-demo.html');
    const embeds = () => page.frames().filter((f) => f !== page.mainFrame());
    const stateOf = (f) =>
      f
        .evaluate(() => (window.booksmart && window.booksmart.state ? window.booksmart.state() : null))
        .catch(() => null);
    for (const id of ['demo-neurons', 'demo-overlay', 'demo-compare']) {
      await page.evaluate((i) => document.getElementById(i).scrollIntoView({ block: 'center' }), id);
      const end = Date.now() + 20000;
      for (;;) {
        const frame = embeds().find((f) => f.url().includes('view=' + id.slice('demo-'.length)));
        const s = frame ? await stateOf(frame) : null;
        if ((s && s.framesDrawn > 0) || Date.now() > end) break;
        await page.waitForTimeout(250);
      }
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(2000);
    const inView = await page.evaluate(() =>
      Array.from(document.querySelectorAll('iframe')).map((e) => {
        const r = e.getBoundingClientRect();
        return { src: new URL(e.src).search, in_view: r.bottom > 0 && r.top < window.innerHeight };
      }),
    );
    const drawn = async () =>
      Promise.all(
        embeds().map(async (f) => {
          const s = await stateOf(f);
          return {
            embed: new URL(f.url()).search,
            frames: s ? s.framesDrawn || 0 : 0,
            presented: s ? s.framesPresented || 0 : 0,
            heap: s ? s.heapBytes || 0 : 0,
          };
        }),
      );
    const before = await drawn();
    await page.waitForTimeout(seconds * 1000);
    const later = await drawn();
    const frames = later
      .map((e) => ({ e, b: before.find((x) => x.embed === e.embed) || {} }))
      .map(({ e, b }) => ({
        embed: e.embed,
        in_view: (inView.find((v) => v.src === e.embed) || {}).in_view ?? null,
        frames_per_s: (e.frames - (b.frames || 0)) / seconds,
        // Of those, the frames handed to the display: a figure whose picture does not change presents none.
        presented_per_s: (e.presented - (b.presented || 0)) / seconds,
        heap_bytes: e.heap,
      }));
    // Every embed out of view: a spacer below the article, and the page scrolled to its end.
    await page.evaluate(() => {
      const spacer = document.createElement('div');
      spacer.style.height = '4000px';
      document.body.appendChild(spacer);
      window.scrollTo(0, document.body.scrollHeight);
    });
    await page.waitForTimeout(2000);
    const paused0 = await drawn();
    const cpu0 = childCpuSeconds();
    await page.waitForTimeout(seconds * 1000);
    const cpu1 = childCpuSeconds();
    const paused1 = await drawn();
    // The same browser and page with the embeds gone (their instances and workers ended): what is left is the
    // browser's own idle cost, so the difference is the paused embeds'.
    await page.evaluate(() => document.querySelectorAll('iframe').forEach((e) => e.remove()));
    await page.waitForTimeout(2000);
    const cpu2 = childCpuSeconds();
    await page.waitForTimeout(seconds * 1000);
    const cpu3 = childCpuSeconds();
    return {
      embeds: frames,
      heap_bytes_total: frames.reduce((sum, e) => sum + e.heap_bytes, 0),
      all_out_of_view: {
        seconds,
        cpu_share_of_a_core: (cpu1 - cpu0) / seconds,
        frames_drawn: paused1.reduce((sum, e) => sum + e.frames, 0) - paused0.reduce((sum, e) => sum + e.frames, 0),
      },
      without_embeds: { seconds, cpu_share_of_a_core: (cpu3 - cpu2) / seconds },
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const site = process.argv[2] || path.join(here, '..', 'build', 'web', 'site');
  console.log(
    JSON.stringify(await measurePage(site, Number(process.argv[3] || 20), Number(process.argv[4] || 60)), null, 2),
  );
}
