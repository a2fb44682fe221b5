#!/usr/bin/env node
// `make bench`: every contender of the benchmark (bench/README.md) in one run on this machine, validated before
// timing, one table on stdout and bench/results/latest.json.
//   node bench/run.mjs [--repeat N] [--steps K] [--quick]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/browser.mjs';
import { measureDevice, measureEmbeds, measureHeapOverEpochs, measurePage, measureThrottle } from './page_metrics.mjs';
import { measureTrial, printTrial } from './trial_metrics.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const repeat = Number(opt('--repeat', 3)),
  steps = Number(opt('--steps', 20));
const TOLERANCE = 1e-3; // largest allowed |loss - reference| over the validation steps (losses are ~0.5-2.3)

const cli = path.join(repo, 'build/native/src/cli/booksmart');
const mnist = path.join(repo, 'build/native/assets/mnist');
const out = path.join(repo, 'build/bench');
const init = path.join(out, 'init.safetensors');
fs.mkdirSync(out, { recursive: true });
for (const f of [cli, path.join(repo, 'build/web/bench/booksmart-bench.wasm')]) {
  if (!fs.existsSync(f)) {
    console.error(`bench: ${f} is missing (make bench builds it)`);
    process.exit(1);
  }
}

const log = (t) => process.stderr.write(t + '\n');
const contenders = [];
const run = (cmd, argv, env = {}) =>
  execFileSync(cmd, argv, { env: Object.assign({}, process.env, env), maxBuffer: 1 << 26, encoding: 'utf8' });

// ---- native -----------------------------------------------------------------------------------------------
log('booksmart native (kernels auto, then portable)...');
const native = JSON.parse(
  run(cli, ['bench', '--json', '--repeat', String(repeat), '--validate-steps', String(steps), '--write-init', init]),
);
native.name = 'booksmart-native';
contenders.push(native);
const portable = JSON.parse(
  run(cli, [
    'bench',
    '--json',
    '--kernels',
    'portable',
    '--init',
    init,
    '--repeat',
    String(repeat),
    '--validate-steps',
    String(steps),
  ]),
);
portable.name = 'booksmart-native-portable';
contenders.push(portable);

// ---- Python peers with OpenBLAS (as the environment sets it, and with the core type pin removed) ----------
const openblas = '/usr/lib/x86_64-linux-gnu/openblas-pthread';
if (!fs.existsSync(path.join(openblas, 'libopenblas.so.0'))) {
  console.error('bench: OpenBLAS is missing (scripts/setup.sh bench)');
  process.exit(1);
}
const pyEnv = (threads) => ({
  LD_LIBRARY_PATH: openblas,
  OPENBLAS_NUM_THREADS: String(threads),
  OMP_NUM_THREADS: String(threads),
});
for (const unpin of [false, true]) {
  for (const threads of [1, 2]) {
    const which = threads === 1 ? 'torch,numpy' : 'torch';
    log(
      `PyTorch${threads === 1 ? ' and numpy' : ''}, ${threads} thread(s), OPENBLAS_CORETYPE ${unpin ? 'unset' : 'as set'}...`,
    );
    const env = Object.assign({}, process.env, pyEnv(threads));
    if (unpin) {
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
    }
    const text = execFileSync(
      '/usr/bin/python3',
      [
        path.join(repo, 'bench/peers_python.py'),
        mnist,
        init,
        '--threads',
        String(threads),
        '--repeat',
        String(repeat),
        '--steps',
        String(steps),
        '--which',
        which,
      ],
      { env, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    for (const line of text.trim().split('\n')) {
      const c = JSON.parse(line);
      c.name += unpin ? ' (coretype unset)' : ' (coretype as set)';
      contenders.push(c);
    }
  }
}

// ---- TF.js in Node (reference) ----------------------------------------------------------------------------
for (const backend of ['wasm', 'cpu']) {
  log(`TF.js ${backend} in Node...`);
  contenders.push(
    JSON.parse(
      run('node', [path.join(repo, 'bench/tfjs_node.cjs'), mnist, init, backend, String(repeat), String(steps)]),
    ),
  );
}

// ---- Chromium: Booksmart's WebAssembly and TF.js, same browser, same run ----------------------------------
{
  const server = await startServer({ root: repo, port: 0, quiet: true });
  const browser = await launch();
  for (const c of ['booksmart-wasm', 'tfjs-wasm', 'tfjs-cpu']) {
    log(`${c} in Chromium...`);
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(
      `${server.url}bench/web/bench.html?contender=${c}&init=/${path.relative(repo, init)}&repeat=${repeat}&steps=${steps}`,
    );
    try {
      contenders.push(await page.evaluate(() => window.benchResult, null));
    } catch (e) {
      contenders.push({
        name: `${c}-chromium`,
        error: String(e.message || e) + (errors.length ? '; ' + errors.join('; ') : ''),
      });
    }
    await page.close();
  }
  await browser.close();
  await server.close();
}

// ---- attacks and bounds (bench/README.md, "Attacks"): PGD-40 against PyTorch, and the robustness command ----
const model = path.join(repo, 'assets/pretrained.safetensors');
const attacks = { pgd: [], crown: [], robustness: [] };
// A PyTorch peer script on one thread, with OpenBLAS's core type as the environment pins it and unpinned.
const pytorchPeers = (script) =>
  [false, true].map((unpin) => {
    const env = Object.assign({}, process.env, pyEnv(1));
    if (unpin) {
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
    }
    const c = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [path.join(repo, 'bench', script), mnist, model, '--threads', '1', '--repeat', String(repeat)],
        { env, encoding: 'utf8', maxBuffer: 1 << 26 },
      ),
    );
    c.name += unpin ? ' (coretype unset)' : ' (coretype as set)';
    return c;
  });
{
  log('PGD-40 over the test set: booksmart, then PyTorch (1 thread)...');
  const ours = JSON.parse(run(cli, ['bench-pgd', '--model', model, '--json', '--repeat', String(repeat)]));
  const peers = pytorchPeers('pgd_peer.py');
  // The same attack must flip the same images; a few may differ where a gradient sign is decided by rounding.
  for (const c of [ours, ...peers]) {
    const differ = ours.success.filter((v, i) => v !== c.success[i]).length;
    c.flipped = c.success.reduce((a, b) => a + b, 0);
    c.validated = differ <= 0.005 * ours.success.length;
    c.images_differing_from_booksmart = differ;
    attacks.pgd.push(c);
  }
  for (const c of attacks.pgd) delete c.success;
  log('CROWN bounds at L-inf eps 0.02 over the test set: booksmart, then PyTorch (1 thread)...');
  const crownOurs = JSON.parse(run(cli, ['bench-crown', '--model', model, '--json', '--repeat', String(repeat)]));
  const crownPeers = pytorchPeers('crown_peer.py');
  // The same bounds up to float rounding: every image's smallest margin within 1e-3.
  for (const c of [crownOurs, ...crownPeers]) {
    c.max_margin_difference = Math.max(...crownOurs.margins.map((m, i) => Math.abs(m - c.margins[i])));
    c.validated = c.max_margin_difference <= 1e-3;
    attacks.crown.push(c);
  }
  for (const c of attacks.crown) delete c.margins;
  for (const norm of ['linf', 'l2']) {
    log(`booksmart robustness --count 10000 --norm ${norm} (bounds and minimal-radius PGD, no Square)...`);
    const start = process.hrtime.bigint();
    const r = JSON.parse(
      run(cli, ['robustness', '--model', model, '--count', '10000', '--norm', norm, '--square-queries', '0', '--json']),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    attacks.robustness.push({
      norm,
      images: r.summary.count,
      seconds,
      median_certified: r.summary.median_certified,
      median_attack: r.summary.median_attack,
    });
  }
}

// ---- the complete verifier against a MILP solver (tests/python/verify_matches_milp.py) ----------------------
{
  log('booksmart verify against the same questions as MILPs (HiGHS through scipy), L-inf 0.02 and 0.03, 12 images...');
  const file = path.join(out, 'verify-milp.json');
  run('/usr/bin/python3', [
    path.join(repo, 'tests/python/verify_matches_milp.py'),
    cli,
    mnist,
    model,
    '--count',
    '12',
    '--time-limit',
    '60',
    '--json-out',
    file,
  ]);
  const rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  const both = rows.filter((r) => r.milp && r.verify !== 'unknown');
  const timeRatios = both.map((r) => r.milp_seconds / r.verify_seconds).sort((a, b) => a - b);
  attacks.verify = {
    instances: rows.length,
    both_decided: both.length,
    agreed: both.filter((r) => r.milp === r.verify).length,
    verify_unknown: rows.filter((r) => r.verify === 'unknown').length,
    milp_undecided: rows.filter((r) => !r.milp).length,
    median_milp_over_verify: timeRatios.length ? timeRatios[Math.floor(timeRatios.length / 2)] : null,
    rows,
  };
}

// ---- the page itself, with the UI running --------------------------------------------------------------
log('the page in Chromium (20 s training, then the Robustness view 60 s while training and 60 s paused)...');
const page = await measurePage(path.join(repo, 'build/web/site'), 20);
log(
  'the page on a phone-class device (CPU throttled 4x, 390x844, 30 s) and unthrottled, training in the page and in a worker...',
);
page.throttle = await measureThrottle(path.join(repo, 'build/web/site'), { rate: 4 });
page.devices = [];
for (const rate of [4, 1]) {
  for (const query of ['', '?trainer=page'])
    page.devices.push(await measureDevice(path.join(repo, 'build/web/site'), { rate, query }));
}
log('the page training for 50 epochs in its worker: WebAssembly heap...');
page.heap_over_50_epochs = await measureHeapOverEpochs(path.join(repo, 'build/web/site'), 50);
log('the embed demo (three embeds in one article): frames each draws per second, heap, CPU with all out of view...');
page.embeds = await measureEmbeds(path.join(repo, 'build/web/site'));
log('the five trial experiments in the page, one after another on the pretrained model...');
// At a desktop's width and a phone's: on a 2-vCPU machine with software WebGL the worker and the drawing of a
// large canvas compete for the same two cores.
const trial = [];
for (const width of [1280, 390]) trial.push(await measureTrial(path.join(repo, 'build/web/site'), width));

// ---- validate, then keep timings only for contenders that computed the same losses ------------------------
const reference = native.validation_losses;
for (const c of contenders) {
  const l = c.validation_losses || [];
  const diff = l.length === reference.length ? Math.max(...l.map((v, i) => Math.abs(v - reference[i]))) : Infinity;
  c.validated = !c.error && diff <= TOLERANCE;
  c.max_loss_difference = Number.isFinite(diff) ? diff : null;
  if (!c.validated) {
    c.train_samples_per_s = null;
    c.infer_samples_per_s = null;
  }
}
const get = (name) => contenders.find((c) => c.name === name && c.validated);
const best = (prefix) =>
  contenders
    .filter((c) => c.validated && c.name.startsWith(prefix))
    .sort((a, b) => b.train_samples_per_s - a.train_samples_per_s)[0];
const ratio = (a, b) => (a && b ? a.train_samples_per_s / b.train_samples_per_s : null);
const torch1 = best('pytorch-1t'),
  numpy1 = best('numpy-1t'),
  wasm = get('booksmart-wasm-chromium'),
  tfw = get('tfjs-wasm-chromium');
const fastestCpuPeer = [torch1, numpy1]
  .filter(Boolean)
  .sort((a, b) => b.train_samples_per_s - a.train_samples_per_s)[0];
const ratios = {
  native_vs_pytorch: ratio(native, torch1),
  native_vs_fastest_cpu_peer: ratio(native, fastestCpuPeer),
  wasm_vs_tfjs_wasm: ratio(wasm, tfw),
  wasm_vs_native: ratio(wasm, native),
};
// The training loop's share of the measured peak of the instructions it runs on.
const gflops = (c) => (c.train_samples_per_s * native.flops_per_train_sample) / 1e9;
const nativePeak = Math.max(...Object.values(native.peak_gflops || {}));
const shares = {
  native_share_of_peak: native && native.validated && nativePeak > 0 ? gflops(native) / nativePeak : null,
  wasm_share_of_simd128_peak: wasm && wasm.peak_simd128_gflops ? gflops(wasm) / wasm.peak_simd128_gflops : null,
};
attacks.wasm = (contenders.find((c) => c.name === 'booksmart-wasm-chromium') || {}).robustness || [];
// PGD: Booksmart's time against the faster validated PyTorch run.
const pgdOurs = attacks.pgd[0];
const pgdPeer = attacks.pgd
  .slice(1)
  .filter((c) => c.validated)
  .sort((a, b) => a.seconds.median - b.seconds.median)[0];
ratios.pgd_native_vs_pytorch = pgdOurs.validated && pgdPeer ? pgdPeer.seconds.median / pgdOurs.seconds.median : null;
const crownOurs = attacks.crown[0];
const crownPeer = attacks.crown
  .slice(1)
  .filter((c) => c.validated)
  .sort((a, b) => a.seconds.median - b.seconds.median)[0];
ratios.crown_native_vs_pytorch =
  crownOurs.validated && crownPeer ? crownPeer.seconds.median / crownOurs.seconds.median : null;
// The verifier: the MILP's time over the verifier's, median over the instances both decided (and agreed on).
ratios.verify_vs_milp =
  attacks.verify.both_decided && attacks.verify.agreed === attacks.verify.both_decided
    ? attacks.verify.median_milp_over_verify
    : null;
const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || os.cpus()[0].model;
const result = {
  date: new Date().toISOString(),
  cpu,
  repeat,
  validation_steps: steps,
  tolerance: TOLERANCE,
  flops_per_train_sample: native.flops_per_train_sample,
  peaks_gflops: Object.assign(
    {},
    native.peak_gflops,
    wasm ? { 'WASM SIMD128 (Chromium)': wasm.peak_simd128_gflops } : {},
  ),
  contenders: contenders.map((c) => ({
    name: c.name,
    train_samples_per_s: c.train_samples_per_s,
    infer_samples_per_s: c.infer_samples_per_s,
    validated: c.validated,
    max_loss_difference: c.max_loss_difference,
    train: c.train,
    infer: c.infer,
    threads: c.threads,
    version: c.version,
    kernels: c.kernels,
    blas_core: c.blas_core,
    error: c.error,
    gflops: c.train_samples_per_s ? (c.train_samples_per_s * native.flops_per_train_sample) / 1e9 : null,
  })),
  ratios,
  shares,
  // PGD-5 adversarial training (the Compare view's street-smart option), images/s; issue goal in the page: >= 15,000.
  pgd_training: {
    native: native.pgd5_train_samples_per_s ?? null,
    wasm: wasm ? (wasm.pgd5_train_samples_per_s ?? null) : null,
  },
  attacks,
  page,
  trial,
};
fs.mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(repo, 'bench/results/latest.json'), JSON.stringify(result, null, 2) + '\n');

// ---- the table --------------------------------------------------------------------------------------------
const k = (v) => (v == null ? '—' : v >= 1e5 ? (v / 1e3).toFixed(0) + 'k' : (v / 1e3).toFixed(1) + 'k');
const rows = [['contender', 'train/s median', '(min–max)', 'GFLOP/s', 'infer/s', 'valid', 'notes']];
for (const c of result.contenders) {
  rows.push([
    c.name,
    k(c.train_samples_per_s),
    c.train && c.validated ? `${k(c.train.min)}–${k(c.train.max)}` : '',
    c.gflops ? c.gflops.toFixed(1) : '—',
    k(c.infer_samples_per_s),
    c.validated ? 'yes' : 'NO',
    [
      c.kernels,
      c.blas_core && 'BLAS ' + c.blas_core,
      c.error,
      !c.validated && c.max_loss_difference != null ? `loss diff ${c.max_loss_difference.toExponential(1)}` : '',
    ]
      .filter(Boolean)
      .join(', '),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log(`Booksmart benchmark, ${result.date}, ${cpu}, 1 epoch x ${repeat} (median), batch 64, plain SGD lr 0.1`);
for (const r of rows) console.log(r.map((v, i) => String(v).padEnd(widths[i])).join('  '));
console.log(
  'peaks (GFLOP/s): ' +
    Object.entries(result.peaks_gflops)
      .map(([n, v]) => `${n} ${v.toFixed(1)}`)
      .join(', '),
);
for (const [n, v] of Object.entries(ratios)) console.log(`${n}: ${v == null ? '—' : v.toFixed(2) + 'x'}`);
for (const [n, v] of Object.entries(shares)) console.log(`${n}: ${v == null ? '—' : (100 * v).toFixed(1) + ' %'}`);
console.log(
  `PGD-5 adversarial training (Compare's street-smart, L-inf 0.1, 10,000 images): native ${k(result.pgd_training.native)}/s, ` +
    `WebAssembly (Chromium) ${k(result.pgd_training.wasm)}/s (goal >= 15.0k/s in the page)`,
);
const ms = (v) => (v == null ? '—' : (v / 1000).toFixed(2) + ' s');
console.log(
  `page: first figure ${ms(page.timings_ms.firstFigure)}, MNIST streamed ${ms(page.timings_ms.dataStreamed)}, ` +
    `95 % ${ms(page.timings_ms.accuracy95)}, 97 % ${ms(page.timings_ms.accuracy97)}; ` +
    `${page.raf_fps_while_training ? page.raf_fps_while_training.median.toFixed(0) : '—'} fps (rAF median while training, min ` +
    `${page.raf_fps_while_training ? page.raf_fps_while_training.min.toFixed(0) : '—'}); analysis ${page.analysis_refreshes_per_s.toFixed(2)}/s; ` +
    `heap ${page.heap_bytes_after_data ? (page.heap_bytes_after_data.max / 2 ** 20).toFixed(0) + ' MiB max, ' + (page.heap_bytes_after_data.last === page.heap_bytes_after_data.first ? 'flat' : 'grew') : '—'}`,
);
for (const [what, r] of [
  ['while the model trains', page.robustness_view_while_training],
  ['on the pretrained model, training paused', page.robustness_view_pretrained_paused],
]) {
  const f = (x, d = 0) => (x == null ? '—' : x.toFixed(d));
  console.log(
    `page, Robustness view open ${what} (${r.seconds} s): ${f(r.raf_fps && r.raf_fps.median)} fps (rAF median, min ` +
      `${f(r.raf_fps && r.raf_fps.min)}), app work ${f(r.median_app_ms && r.median_app_ms.median, 1)} ms per frame, training ` +
      `${f(r.training_steps_per_s)} steps/s; survey of ${r.survey_images} images: ${r.passes} pass(es), ` +
      `${r.pass_seconds.map((x) => x.toFixed(1) + ' s').join(', ') || 'none finished'}`,
  );
}
{
  const t = page.throttle,
    f = (x) => x.toFixed(1);
  console.log(
    `CPU throttling ${t.rate}x by itself (a blank page, the same JavaScript each frame): median ${f(t.unthrottled_ms.median)} -> ` +
      `${f(t.throttled_ms.median)} ms (${t.slowdown.toFixed(2)}x), throttled p95 ${f(t.throttled_ms.p95)} ms, max ${f(t.throttled_ms.max)} ms`,
  );
}
for (const d of page.devices) {
  const acc = (level) =>
    `${level} % ${ms(d['accuracy' + level + '_ms'])}` +
    (d['accuracy' + level + '_test_images'] ? ` (on ${d['accuracy' + level + '_test_images']} test images)` : '');
  console.log(
    `page${d.query ? ' ' + d.query : ''} at ${d.viewport.join('x')}, CPU ${d.cpu_throttling}x slower: ` +
      `${d.images_per_s_while_training ? (d.images_per_s_while_training.median / 1000).toFixed(1) + 'k images/s, ' : ''}first figure ${ms(d.first_figure_ms)}, MNIST ${ms(d.data_streamed_ms)}, ` +
      `${acc(95)}, ${acc(97)}; ${d.raf_fps_while_training ? d.raf_fps_while_training.median.toFixed(0) + ' fps (rAF median while training, min ' + d.raf_fps_while_training.min.toFixed(0) + ')' : 'no frames while training'}, ` +
      `${d.presented_fps_while_training ? d.presented_fps_while_training.median.toFixed(0) + ' presented/s, ' : ''}` +
      `worst frame ${d.worst_frame_ms == null ? '—' : d.worst_frame_ms.toFixed(0) + ' ms'}, heap ${d.heap_bytes == null ? '—' : (d.heap_bytes / 2 ** 20).toFixed(0) + ' MiB' + (d.worker_heap_bytes ? ' (worker ' + (d.worker_heap_bytes / 2 ** 20).toFixed(0) + ')' : '')}`,
  );
}
{
  const h = page.heap_over_50_epochs;
  const mib = (b) => (b / 2 ** 20).toFixed(0) + ' MiB';
  console.log(
    `page heap over ${h.epochs_completed} epochs of training (${h.seconds.toFixed(0)} s): ` +
      (h.heap_bytes
        ? `${mib(h.heap_bytes.first)} once the data were in, ${mib(h.heap_bytes.last)} at the end, at most ${mib(h.heap_bytes.max)}`
        : 'the data never arrived') +
      (h.worker_heap_bytes ? ` (worker ${mib(h.worker_heap_bytes)})` : ''),
  );
}
console.log(
  'embed demo, frames drawn per second with the first in view: ' +
    page.embeds.embeds
      .map(
        (e) =>
          `${e.embed} ${e.in_view ? '(in view)' : '(out of view)'} ${e.frames_per_s.toFixed(1)} (presented ${e.presented_per_s.toFixed(1)})`,
      )
      .join('; ') +
    `; heap of all three ${(page.embeds.heap_bytes_total / 2 ** 20).toFixed(0)} MiB; all out of view: the browser used ` +
    `${(100 * page.embeds.all_out_of_view.cpu_share_of_a_core).toFixed(1)} % of a core, ${page.embeds.all_out_of_view.frames_drawn} frames drawn; ` +
    `with the embeds removed ${(100 * page.embeds.without_embeds.cpu_share_of_a_core).toFixed(1)} %`,
);
for (const t of trial) printTrial(t);
for (const c of attacks.pgd) {
  console.log(
    `PGD-40 L-inf eps ${c.eps} over ${c.images} test images, ${c.name}: ${c.seconds.median.toFixed(2)} s ` +
      `(${c.seconds.min.toFixed(2)}–${c.seconds.max.toFixed(2)}), ${c.flipped} flipped, ${c.validated ? 'validated' : 'NOT VALIDATED'}`,
  );
}
console.log(
  `pgd_native_vs_pytorch: ${ratios.pgd_native_vs_pytorch ? ratios.pgd_native_vs_pytorch.toFixed(2) + 'x' : '—'}`,
);
for (const c of attacks.crown) {
  console.log(
    `CROWN L-inf eps ${c.eps} over ${c.images} test images, ${c.name}: ${c.seconds.median.toFixed(2)} s ` +
      `(${c.seconds.min.toFixed(2)}–${c.seconds.max.toFixed(2)}), ${c.certified} certified, margins within ${c.max_margin_difference.toExponential(1)} of Booksmart's${c.validated ? '' : ' (NOT VALIDATED)'}`,
  );
}
console.log(
  `crown_native_vs_pytorch: ${ratios.crown_native_vs_pytorch ? ratios.crown_native_vs_pytorch.toFixed(2) + 'x' : '—'}`,
);
console.log(
  `verify vs MILP, L-inf 0.02 and 0.03: ${attacks.verify.both_decided} of ${attacks.verify.instances} instances ` +
    `decided by both, ${attacks.verify.agreed} agree; verify unknown ${attacks.verify.verify_unknown}, MILP ` +
    `undecided ${attacks.verify.milp_undecided}; verify_vs_milp (median MILP time / verify time): ` +
    `${ratios.verify_vs_milp ? ratios.verify_vs_milp.toFixed(1) + 'x' : '—'}`,
);
for (const r of attacks.wasm) {
  console.log(
    `robustness ${r.norm} in WebAssembly (Chromium), ${r.images} images: CROWN radii ${r.crown_s.toFixed(1)} s, ` +
      `IBP ${r.ibp_s.toFixed(1)} s, minimal-radius PGD ${r.pgd_s.toFixed(1)} s, DeepFool ${r.deepfool_s.toFixed(1)} s`,
  );
}
for (const r of attacks.robustness) {
  console.log(
    `robustness ${r.norm}: ${r.images} images in ${r.seconds.toFixed(1)} s (IBP + CROWN radii, DeepFool, minimal-radius PGD); ` +
      `median certified ${r.median_certified.toFixed(4)}, median attack ${r.median_attack.toFixed(4)}`,
  );
}
console.log('wrote bench/results/latest.json');
