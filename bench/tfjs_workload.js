// The bench workload (bench/README.md) in TensorFlow.js, for any backend, in the browser (bench/web/) and in
// Node (tfjs_node.cjs). The same initial weights as every contender; plain SGD lr 0.1, batch 64, one epoch;
// inference in batches of 1,000. Validation: the losses of the first steps on the images in file order.
// Used as its users would: the images scaled to floats once, in tensors, before any timer starts (as the Python
// peers do); each batch gathered from them inside the timer (as PyTorch's x[idx]); each layer one fused
// matMul + bias + ReLU kernel.
/* global module -- Node (tfjs_node.cjs) loads this file as CommonJS */
(function (root) {
  'use strict';
  const BATCH = 64,
    LR = 0.1;

  // Our weights are (out, in) row-major, like PyTorch; a TF.js dense kernel is (in, out).
  function transpose(w, rows, cols) {
    const t = new Float32Array(rows * cols);
    for (let r = 0; r < rows; ++r) for (let c = 0; c < cols; ++c) t[c * rows + r] = w[r * cols + c];
    return t;
  }

  function makeVars(tf, init) {
    const v = {};
    for (const [k, rows, cols] of [
      [1, 64, 784],
      [2, 64, 64],
      [3, 10, 64],
    ]) {
      v['w' + k] = tf.variable(tf.tensor2d(transpose(init['layer' + k + '.weight'], rows, cols), [cols, rows]));
      v['b' + k] = tf.variable(tf.tensor1d(init['layer' + k + '.bias']));
    }
    return v;
  }

  function logits(tf, v, x) {
    const h1 = tf.fused.matMul({ a: x, b: v.w1, bias: v.b1, activation: 'relu' });
    const h2 = tf.fused.matMul({ a: h1, b: v.w2, bias: v.b2, activation: 'relu' });
    return tf.fused.matMul({ a: h2, b: v.w3, bias: v.b3 });
  }

  // Bytes -> floats in [0, 1], once, outside every timer.
  function scaledImages(tf, bytes, n) {
    const x = new Float32Array(n * 784);
    for (let i = 0; i < x.length; ++i) x[i] = bytes[i] / 255;
    return tf.tensor2d(x, [n, 784]);
  }

  // The batch of `indices` gathered from the prepared tensors (inside the timer, like every peer's batching).
  function batchTensors(tf, data, indices) {
    const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
    return [tf.gather(data.x, idx), tf.gather(data.y, idx)];
  }

  function permutation(n, seed) {
    const p = Array.from({ length: n }, (_, i) => i);
    let s = seed >>> 0;
    for (let i = n - 1; i > 0; --i) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }

  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  const stats = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
  };

  // mnist: {trainImages: Uint8Array, trainLabels, testImages, testLabels}; init: {name: Float32Array}.
  async function tfjsBench(tf, backend, mnist, init, { repeat = 3, steps = 20 } = {}) {
    if (!(await tf.setBackend(backend))) throw new Error('TF.js backend ' + backend + ' is not available');
    await tf.ready();
    const nTrain = mnist.trainLabels.length,
      nTest = mnist.testLabels.length;
    const data = {
      x: scaledImages(tf, mnist.trainImages, nTrain),
      y: tf.oneHot(tf.tensor1d(Int32Array.from(mnist.trainLabels), 'int32'), 10).toFloat(),
    };
    const testX = scaledImages(tf, mnist.testImages, nTest);
    const opt = tf.train.sgd(LR);
    const run = (v, x, y) =>
      opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(tf, v, x)), true, Object.values(v));

    let v = makeVars(tf, init);
    const losses = [];
    for (let s = 0; s < steps; ++s) {
      const idx = Array.from({ length: BATCH }, (_, j) => s * BATCH + j);
      losses.push(
        tf
          .tidy(() => {
            const [x, y] = batchTensors(tf, data, idx);
            return run(v, x, y);
          })
          .dataSync()[0],
      );
    }
    Object.values(v).forEach((t) => t.dispose());

    const train = [],
      infer = [];
    let accuracy = 0;
    for (let r = 0; r < repeat; ++r) {
      v = makeVars(tf, init);
      const perm = permutation(nTrain, 1 + r);
      let t0 = now(),
        last;
      for (let i = 0; i < nTrain; i += BATCH) {
        if (last) last.dispose();
        last = tf.tidy(() => {
          const [x, y] = batchTensors(tf, data, perm.slice(i, i + BATCH));
          return run(v, x, y);
        });
      }
      last.dataSync(); // wait for the last step
      last.dispose();
      train.push(nTrain / ((now() - t0) / 1000));
      t0 = now();
      let correct = 0;
      for (let i = 0; i < nTest; i += 1000) {
        const n = Math.min(1000, nTest - i);
        const pred = tf.tidy(() => logits(tf, v, tf.slice(testX, [i, 0], [n, 784])).argMax(1));
        const p = pred.dataSync();
        pred.dispose();
        for (let j = 0; j < n; ++j) correct += p[j] === mnist.testLabels[i + j] ? 1 : 0;
      }
      infer.push(nTest / ((now() - t0) / 1000));
      accuracy = correct / nTest;
      Object.values(v).forEach((t) => t.dispose());
    }
    [data.x, data.y, testX].forEach((x) => x.dispose());
    return {
      version: tf.version.tfjs,
      backend,
      threads: 1,
      validation_losses: losses,
      train_samples_per_s: stats(train).median,
      train: stats(train),
      infer_samples_per_s: stats(infer).median,
      infer: stats(infer),
      test_accuracy_after_epoch: accuracy,
    };
  }

  // Parses our safetensors file into {name: Float32Array} (the six tensors the peers need).
  function parseSafetensors(bytes) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(dv.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    const out = {};
    for (const name of [
      'layer1.weight',
      'layer1.bias',
      'layer2.weight',
      'layer2.bias',
      'layer3.weight',
      'layer3.bias',
    ]) {
      const [a, b] = header[name].data_offsets;
      out[name] = new Float32Array(bytes.slice(8 + n + a, 8 + n + b).buffer);
    }
    return out;
  }

  // Decompressed IDX bytes -> the items (after the header).
  function idxBody(bytes) {
    const rank = bytes[3];
    return bytes.subarray(4 + 4 * rank);
  }

  const api = { tfjsBench, parseSafetensors, idxBody };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.BooksmartTfjsBench = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
