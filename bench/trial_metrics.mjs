// The six trial experiments in the page, as a reader runs them: the article's button on the pretrained model
// (training paused), one after another, in the training worker (the page's default) or, with
// ?trainer=page, in frame slices on the page's thread. For each: seconds from its start to its end, the
// frame rate while it ran (requestAnimationFrame, sampled every 0.5 s), the app's median work per frame, and
// the slowest single unit of work it ran between two frames (state().trial.X.longestUnitMs). The goal:
// each within 60 s, at >= 50 fps.
//   node bench/trial_metrics.mjs [SITE_DIR] [WIDTH] [page|worker]   (run.mjs calls measureTrial())
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage } from './page_metrics.mjs';

const spread = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] } : null;
};

export async function measureTrial(siteDir, width = 1280, timeoutSeconds = 900, trainer = '') {
  return withPage(siteDir, { width, height: 900 }, async (page, server) => {
    await page.goto(server.url + '?train=pretrained' + (trainer ? '&trainer=' + trainer : ''));
    await page.waitForFunction(() => window.booksmart && window.booksmart.state().imagesLoaded === 70000, null, {
      timeout: 120000,
    });
    await page.click('#trial-run');
    const samples = {};
    const t0 = Date.now();
    let s;
    for (;;) {
      await page.waitForTimeout(500);
      s = await page.evaluate(() => window.booksmart.state());
      const running = Object.entries(s.trial).find(([, x]) => x.status === 'running');
      if (running) (samples[running[0]] ??= []).push({ fps: s.rafFps, appMs: s.medianAppMs });
      if (Object.values(s.trial).every((x) => x.status === 'done')) break;
      if (Date.now() - t0 > timeoutSeconds * 1000)
        throw new Error('bench: the trial did not end in ' + timeoutSeconds + ' s');
    }
    const out = {};
    for (const [name, x] of Object.entries(s.trial)) {
      const v = samples[name] || [];
      out[name] = {
        run_seconds: x.runSeconds,
        asked_seconds: x.seconds,
        raf_fps: spread(v.map((y) => y.fps)),
        median_app_ms: spread(v.map((y) => y.appMs)),
        longest_unit_ms: x.longestUnitMs,
        verdicts: Object.fromEntries(Object.entries(x.verdicts).map(([k, y]) => [k, y.agreement])),
      };
    }
    return { width, runs_in: s.trainer === 'worker' ? 'the training worker' : "the page's thread", experiments: out };
  });
}

export function printTrial(r) {
  for (const [name, x] of Object.entries(r.experiments)) {
    const f = (v, d = 0) => (v == null ? '—' : v.toFixed(d));
    console.log(
      `page trial ${name} (${r.width} px, in ${r.runs_in}): ran ${f(x.run_seconds, 1)} s (${f(x.asked_seconds, 1)} s after the button), ${f(x.raf_fps && x.raf_fps.median)} fps (rAF median, min ` +
        `${f(x.raf_fps && x.raf_fps.min)}), app work ${f(x.median_app_ms && x.median_app_ms.median, 1)} ms per frame, ` +
        `longest unit ${f(x.longest_unit_ms, 1)} ms`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const site = process.argv[2] || path.join(here, '..', 'build', 'web', 'site');
  const r = await measureTrial(site, Number(process.argv[3] || 1280), 900, process.argv[4] || '');
  printTrial(r);
  console.log(JSON.stringify(r, null, 2));
}
