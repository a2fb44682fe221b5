// Runs one contender of the benchmark in this browser tab and leaves the result in window.benchResult:
//   bench.html?contender=booksmart-wasm|tfjs-wasm|tfjs-cpu&init=/build/bench/init.safetensors&repeat=3&steps=20
/* global createBooksmartBench, tf -- from booksmart-bench.js and tf.min.js, loaded before this script */
(function () {
  'use strict';
  const q = new URLSearchParams(location.search);
  const contender = q.get('contender'),
    repeat = Number(q.get('repeat') || 3),
    steps = Number(q.get('steps') || 20);
  const mnistDir = q.get('mnist') || '/build/web/site/assets/mnist/';
  const status = (t) => {
    document.getElementById('status').textContent = t;
  };

  async function gunzip(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  }
  async function bytes(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return new Uint8Array(await res.arrayBuffer());
  }
  const files = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ];

  async function booksmart(raw, init) {
    const mod = await createBooksmartBench();
    const call = (fn, ...args) => JSON.parse(mod.UTF8ToString(fn(...args)));
    const copy = (b) => {
      const p = mod._malloc(b.length);
      mod.HEAPU8.set(b, p);
      return p;
    };
    raw.forEach((b, i) => {
      const p = copy(b);
      const r = call(mod._bench_push, i, p, b.length);
      mod._free(p);
      if (r.error) throw new Error(r.error);
    });
    const p = copy(init);
    const r = call(mod._bench_run, p, init.length, repeat, steps);
    mod._free(p);
    if (r.error) throw new Error(r.error);
    const peak = call(mod._bench_peak);
    const pi = copy(init);
    const pgd = call(mod._bench_pgd_train, pi, init.length, 5, 10000);
    mod._free(pi);
    if (pgd.error) throw new Error(pgd.error);
    // The robustness tools on 1,000 test images of the shipped model, both norms (bench/README.md, "Attacks").
    const model = await bytes('/assets/pretrained.safetensors');
    const robustness = [0, 1].map((l2) => {
      const m = copy(model);
      const out = call(mod._bench_robustness, m, model.length, 1000, l2);
      mod._free(m);
      if (out.error) throw new Error(out.error);
      return out;
    });
    const st = (v) => {
      const s = [...v].sort((a, b) => a - b);
      return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
    };
    return {
      kernels: r.kernels,
      threads: 1,
      validation_losses: r.validation_losses,
      train_samples_per_s: st(r.train_runs).median,
      train: st(r.train_runs),
      infer_samples_per_s: st(r.infer_runs).median,
      infer: st(r.infer_runs),
      test_accuracy_after_epoch: r.test_accuracy_after_epoch,
      gflops: (st(r.train_runs).median * r.flops_per_train_sample) / 1e9,
      peak_simd128_gflops: peak.simd128_gflops,
      robustness,
      pgd5_train_samples_per_s: pgd.images_per_s,
    };
  }

  window.benchResult = (async () => {
    status('fetching MNIST');
    const raw = await Promise.all(files.map((f) => gunzip(mnistDir + f + '.gz')));
    const init = await bytes(q.get('init'));
    status('running ' + contender);
    let result;
    if (contender === 'booksmart-wasm') {
      result = await booksmart(raw, init);
    } else if (contender === 'tfjs-wasm' || contender === 'tfjs-cpu') {
      if (contender === 'tfjs-wasm') tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
      const { tfjsBench, parseSafetensors, idxBody } = window.BooksmartTfjsBench;
      const [ti, tl, si, sl] = raw.map(idxBody);
      result = await tfjsBench(
        tf,
        contender.slice(5),
        { trainImages: ti, trainLabels: tl, testImages: si, testLabels: sl },
        parseSafetensors(init),
        { repeat, steps },
      );
    } else {
      throw new Error('unknown contender ' + contender);
    }
    result.name = contender + '-chromium';
    status('done');
    return result;
  })();
})();
