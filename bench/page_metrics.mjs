// The page as a reader gets it, measured in headless Chromium: time from opening to the first figure, to all of
// MNIST, to 95 % and 97 % test accuracy; frames per second from requestAnimationFrame timestamps while training;
// how often the analysis (dataset features) refreshes; the WebAssembly heap over time.
//   node bench/page_metrics.mjs [SITE_DIR] [SECONDS]   (run.mjs calls measurePage())
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/browser.mjs';

export async function measurePage(siteDir, seconds = 20) {
  const server = await startServer({ root: siteDir, port: 0, quiet: true });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(server.url);
    const samples = [];
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      await page.waitForTimeout(500);
      const s = await page.evaluate(() => window.booksmart.state());
      samples.push({ t: (Date.now() - t0) / 1000, fps: s.rafFps, heap: s.heapBytes, gen: s.analysisGeneration, images: s.imagesLoaded,
        acc: s.testAccuracy, phase: s.phase, timings: s.timings, ips: s.imagesPerSecond });
    }
    const last = samples[samples.length - 1];
    const training = samples.filter((x) => x.phase === 'training' && x.images === 70000);
    const fps = training.map((x) => x.fps).sort((a, b) => a - b);
    const span = training.length > 1 ? training[training.length - 1].t - training[0].t : 0;
    const refreshes = training.length > 1 ? (training[training.length - 1].gen - training[0].gen) / span : 0;
    const heaps = samples.filter((x) => x.images === 70000).map((x) => x.heap);
    return {
      timings_ms: last.timings,
      raf_fps_while_training: fps.length ? { median: fps[fps.length >> 1], min: fps[0], max: fps[fps.length - 1] } : null,
      analysis_refreshes_per_s: refreshes,
      heap_bytes_after_data: heaps.length ? { first: heaps[0], last: heaps[heaps.length - 1], max: Math.max(...heaps) } : null,
      images_per_s_in_page: training.length ? training[training.length - 1].ips : null,
      test_accuracy_at_end: last.acc,
      seconds,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const site = process.argv[2] || path.join(here, '..', 'build', 'web', 'site');
  console.log(JSON.stringify(await measurePage(site, Number(process.argv[3] || 20)), null, 2));
}
