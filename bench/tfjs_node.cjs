// TF.js in Node, for reference (the headline TF.js figures are from Chromium): node tfjs_node.cjs MNIST_DIR
// INIT.safetensors BACKEND [REPEAT] [STEPS]; BACKEND is wasm or cpu. Prints one JSON object.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const { tfjsBench, parseSafetensors, idxBody } = require('./tfjs_workload.js');

(async () => {
  const [dir, initPath, backend, repeat = '3', steps = '20'] = process.argv.slice(2);
  const read = (name) => idxBody(new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(dir, name + '.gz')))));
  const mnist = {
    trainImages: read('train-images-idx3-ubyte'),
    trainLabels: read('train-labels-idx1-ubyte'),
    testImages: read('t10k-images-idx3-ubyte'),
    testLabels: read('t10k-labels-idx1-ubyte'),
  };
  const init = parseSafetensors(new Uint8Array(fs.readFileSync(initPath)));
  const r = await tfjsBench(tf, backend, mnist, init, { repeat: Number(repeat), steps: Number(steps) });
  console.log(JSON.stringify(Object.assign({ name: `tfjs-${backend}-node` }, r)));
})().catch((e) => {
  console.error('tfjs_node: ' + ((e && e.stack) || e));
  process.exit(1);
});
