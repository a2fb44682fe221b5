// The training worker: the live model trains here, in its own WebAssembly instance (booksmart-trainer), while
// the page's thread draws; the trial's experiments run here too, between training slices. The page sends the
// training files' chunks and the reader's run request; this worker trains in short slices, so that messages are
// handled between them, and posts reports with the weights (core/train/remote_run.h). Flow: a plain report waits
// until the page has taken the previous one (it only ever draws the latest); a checkpoint (an epoch's end, every
// 400 steps) is always sent, because the page measures the test accuracy at exactly those weights.
'use strict';
/* global createBooksmartTrainer */
importScripts('booksmart-trainer.js');

const SLICE_MS = 12;
let mod = null;
const early = []; // messages that arrived before the module was ready
let awaitingTake = false; // a plain report is with the page
let sentSinceChange = true; // nothing has happened since the last report
const tick = new MessageChannel(); // a zero-delay loop that still lets messages in between slices
let ticking = false;
let held = false; // the page's figure is out of view: train nothing until it is back

function withBytes(bytes, fn) {
  const ptr = mod._malloc(Math.max(1, bytes.length));
  mod.HEAPU8.set(bytes, ptr);
  try {
    return fn(ptr);
  } finally {
    mod._free(ptr);
  }
}
const str = (ptr) => mod.UTF8ToString(ptr);
// `fatal`: this worker cannot train at all, and the page takes training over.
function fail(why, fatal = false) {
  self.postMessage({ type: 'error', message: why, fatal });
}

function postReport() {
  const ptr = mod._bw_report(),
    n = mod._bw_report_size();
  const report = new Float64Array(mod.HEAPU8.buffer, ptr, n).slice();
  const weights = new Float32Array(mod.HEAPU8.buffer, mod._bw_weights(), mod._bw_weight_count()).slice();
  self.postMessage({ type: 'report', report, weights, heapBytes: mod.HEAPU8.length }, [report.buffer, weights.buffer]);
  sentSinceChange = true;
}

// The trial's figures (src/platform/web/trial_worker.cpp), with the same flow as plain reports: the next
// waits until the page has taken the last, except the final one, which is always sent.
let trialAwaitingTake = false,
  trialUnsent = false;
function postTrial() {
  const ptr = mod._bw_trial_result(),
    n = mod._bw_trial_result_size();
  if (n === 0) return false; // still building the subspace: no figures yet
  const result = new Float64Array(mod.HEAPU8.buffer, ptr, n).slice();
  self.postMessage({ type: 'trial', result, heapBytes: mod.HEAPU8.length }, [result.buffer]);
  trialUnsent = false;
  return true;
}

// One turn of the loop: a training slice, then a trial slice, each about SLICE_MS.
function train() {
  ticking = false;
  if (held) return;
  const steps = mod._bw_train(SLICE_MS);
  if (steps > 0) sentSinceChange = false;
  if (mod._bw_at_checkpoint()) {
    postReport();
  } else if (!awaitingTake && !sentSinceChange) {
    postReport();
    awaitingTake = true;
  }
  const trial = mod._bw_trial_step(SLICE_MS); // 0: nothing to do, 1: progress, 2: just finished
  if (trial > 0) trialUnsent = true;
  if (trial === 2) {
    postTrial();
  } else if (trialUnsent && !trialAwaitingTake) {
    trialAwaitingTake = postTrial();
  }
  if (steps > 0 || trial > 0) schedule();
}
function schedule() {
  if (ticking) return;
  ticking = true;
  tick.port2.postMessage(0);
}
tick.port1.onmessage = train;

function handle(msg) {
  if (msg.type === 'push') {
    const err = withBytes(msg.bytes, (p) => str(mod._bw_push(msg.file, p, msg.bytes.length)));
    if (err) fail(err);
  } else if (msg.type === 'end') {
    mod._bw_end(msg.file, msg.ok ? 1 : 0);
  } else if (msg.type === 'request') {
    const v = new Float64Array(msg.request);
    const err = withBytes(new Uint8Array(v.buffer), (p) => str(mod._bw_request(p, v.length)));
    if (err) fail(err);
    sentSinceChange = false; // the page hears of a new run (or a pause) at once
  } else if (msg.type === 'trial') {
    const v = new Float64Array(msg.request);
    const err = withBytes(new Uint8Array(v.buffer), (p) => str(mod._bw_trial_request(p, v.length)));
    if (err) fail(err);
    trialAwaitingTake = false;
  } else if (msg.type === 'trial-taken') {
    trialAwaitingTake = false;
  } else if (msg.type === 'hold') {
    held = msg.on;
  } else if (msg.type === 'taken') {
    awaitingTake = false;
  }
  schedule();
}

self.onmessage = (e) => {
  if (mod) handle(e.data);
  else early.push(e.data);
};

createBooksmartTrainer({ locateFile: (path) => new URL(path, self.location.href).href })
  .then((m) => {
    mod = m;
    for (const msg of early.splice(0)) handle(msg);
    self.postMessage({ type: 'ready' });
  })
  .catch((e) => fail('it could not start: ' + ((e && e.message) || e), true));
