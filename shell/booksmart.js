// Booksmart's page glue: starts the WebAssembly app in the canvas, streams the pretrained model and MNIST into
// it (fetch + DecompressionStream, chunk by chunk into the push parser), and offers window.booksmart.state()/
// set() and the same commands over postMessage. Used by index.html (the article) and embed.html (one view).
// Every URL is relative to this script, so the site works under any path prefix.
/* global createBooksmart -- from booksmart-wasm.js, loaded before this script */
(function () {
  'use strict';

  const script = document.currentScript;
  const base = new URL('.', script.src);
  const asset = (path) => new URL(path, base).href;
  // The order is the app's DataFile enum (src/app/data_feed.h).
  const FILES = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
    'samples-images-idx3-ubyte',
    'samples-labels-idx1-ubyte',
  ];
  const FILE = Object.fromEntries(FILES.map((name, i) => [name, i]));
  const embed = document.body.dataset.booksmartEmbed === 'true';
  const t0 = performance.now();
  const timings = {}; // milliseconds from the start of this script to each milestone

  const frame = document.getElementById('booksmart-frame');
  const canvas = document.getElementById('canvas');
  const live = document.getElementById('booksmart-live');
  const problem = document.getElementById('booksmart-problem');

  let mod = null;
  let readyResolve;
  const ready = new Promise((resolve) => {
    readyResolve = resolve;
  });

  function showProblem(message) {
    if (!problem) return;
    problem.textContent = message; // text, never HTML: the message may quote a URL
    problem.hidden = false;
  }

  // ---- calls into the module -----------------------------------------------------------------------------
  function withString(text, fn) {
    const size = mod.lengthBytesUTF8(text) + 1;
    const ptr = mod._malloc(size);
    mod.stringToUTF8(text, ptr, size);
    try {
      return fn(ptr);
    } finally {
      mod._free(ptr);
    }
  }
  function withBytes(bytes, fn) {
    const ptr = mod._malloc(Math.max(1, bytes.length));
    mod.HEAPU8.set(bytes, ptr); // HEAPU8 is re-read each time: memory growth replaces it
    try {
      return fn(ptr);
    } finally {
      mod._free(ptr);
    }
  }
  const str = (ptr) => mod.UTF8ToString(ptr);
  const state = () =>
    Object.assign(JSON.parse(str(mod._bs_state())), {
      timings: Object.assign({}, timings),
      rafFps: rafFps(),
      heapBytes: mod.HEAPU8.length + trainer.heapBytes,
      workerHeapBytes: trainer.heapBytes,
      framesDrawn,
    });

  // Frames per second as the browser paints them: requestAnimationFrame timestamps over the last second. Out of
  // view the count stops with the figure: a pending animation frame alone keeps the browser producing frames.
  const frameTimes = [];
  let framesWatched = false;
  function onAnimationFrame(t) {
    frameTimes.push(t);
    while (frameTimes.length && frameTimes[0] < t - 1000) frameTimes.shift();
    framesWatched = onscreen;
    if (framesWatched) requestAnimationFrame(onAnimationFrame);
  }
  function watchFrames() {
    if (framesWatched) return;
    framesWatched = true;
    frameTimes.length = 0;
    requestAnimationFrame(onAnimationFrame);
  }
  watchFrames();
  function rafFps() {
    if (frameTimes.length < 2 || performance.now() - frameTimes[frameTimes.length - 1] > 1000) return 0;
    return (frameTimes.length - 1) / ((frameTimes[frameTimes.length - 1] - frameTimes[0]) / 1000);
  }
  const set = (changes) => {
    const errors = JSON.parse(withString(JSON.stringify(changes), (p) => str(mod._bs_set(p)))).errors;
    followBookSwitch();
    streamTrainingSetIfWanted(); // a paused embed draws no frames, so ask here too
    return errors;
  };

  // ---- data ----------------------------------------------------------------------------------------------
  // Network trouble (dropped connection, 5xx, a stall, a stream that ends early) is retried with backoff; a
  // retry downloads the file again and skips the bytes the app already has, so no image arrives twice or goes
  // missing. Bad data (the parser's errors) and 4xx answers are final. Either way the app shows a notice naming
  // the file, and every image that arrived whole stays usable.
  const RETRIES = 4,
    FIRST_DELAY_MS = 1000,
    STALL_MS = 8000;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  class Final extends Error {}

  function notice(text) {
    withString(text, (p) => mod._bs_notice(p));
  }

  // reader.read(), or an error when nothing arrives for STALL_MS.
  function readOrStall(reader) {
    let timer;
    const stall = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no data for ' + STALL_MS / 1000 + ' s')), STALL_MS);
    });
    return Promise.race([reader.read(), stall]).finally(() => clearTimeout(timer));
  }

  // `to` says who receives the file: the page's app, the training worker, or both. A training stream stops
  // feeding the page once a newer one has taken over (pageTrainStream: the page's own copy, see below).
  // A stream of an older state (before a dataset switch) stops at its next chunk and delivers nothing more:
  // `current()` is checked right before every call into the app or the worker.
  async function streamFile(name, to = { page: true, worker: !!trainer.worker }) {
    const file = FILE[name];
    const mine = pageTrainStream,
      myBook = bookSerial,
      folder = book;
    const current = () => myBook === bookSerial;
    const toPage = () => current() && to.page && (file > FILE['train-labels-idx1-ubyte'] || mine === pageTrainStream);
    const toWorker = () => current() && to.worker;
    let delivered = 0; // decompressed bytes the app has accepted, over all attempts
    for (let attempt = 0; ; ++attempt) {
      let reader = null;
      const controller = new AbortController();
      try {
        const url = asset('assets/' + folder + '/' + name + '.gz');
        const res = await fetch(url, { signal: controller.signal, cache: 'no-store' });
        if (res.status >= 400 && res.status < 500) throw new Final('HTTP ' + res.status + ' ' + res.statusText);
        if (!res.ok) throw new Error('HTTP ' + res.status + ' ' + res.statusText);
        reader = (await keepForOffline(url, res)).pipeThrough(new DecompressionStream('gzip')).getReader();
        let seen = 0; // decompressed bytes of this attempt
        for (;;) {
          const { done, value } = await readOrStall(reader);
          if (done) break;
          let chunk = value;
          const skip = Math.min(chunk.length, Math.max(0, delivered - seen));
          seen += chunk.length;
          chunk = chunk.subarray(skip);
          if (!chunk.length) continue;
          if (!toPage() && !toWorker()) {
            controller.abort();
            return false;
          } // superseded
          const err = toPage() ? withBytes(chunk, (p) => str(mod._bs_data_push(file, p, chunk.length))) : '';
          if (err) {
            controller.abort();
            if (toWorker()) trainer.end(file, false);
            return false;
          } // bad data: final, the app has said why
          if (toWorker()) trainer.push(file, chunk);
          delivered += chunk.length;
        }
        if (!current()) return false;
        const ended = toPage() ? str(mod._bs_data_end(file)) === '' : true;
        if (toWorker()) trainer.end(file, ended);
        return ended;
      } catch (e) {
        // Cancelling the reader alone would leave the request open behind the offline cache's copy of the body
        // (a tee): abort it, so a stalled attempt's connection is closed before the retry opens another.
        if (reader) reader.cancel().catch(() => {});
        controller.abort();
        const why = String((e && e.message) || e);
        if (!current()) return false; // aborted by a dataset switch, or failed after it: nobody waits for it
        if (e instanceof Final || attempt >= RETRIES) {
          const full = why + (attempt ? ' (after ' + (attempt + 1) + ' attempts)' : '');
          if (toPage()) withString(full, (p) => mod._bs_data_fail(file, p));
          else notice(name + ': ' + full);
          if (toWorker()) trainer.end(file, false);
          return false;
        }
        const delay = FIRST_DELAY_MS * 2 ** attempt;
        notice(
          name + ': ' + why + '; retrying in ' + delay / 1000 + ' s (' + (delivered / 1e6).toFixed(1) + ' MB kept)',
        );
        await sleep(delay);
      }
    }
  }

  // For offline visits: the first complete download of an MNIST file goes into the data cache as well (a copy of
  // the stream; a download that breaks off stores nothing). The service worker serves it from there next time.
  const DATA_CACHE = 'booksmart-data-v1';
  async function keepForOffline(url, res) {
    if (embed || !window.caches || isSample(url)) return res.body;
    try {
      const cache = await caches.open(DATA_CACHE);
      if (await cache.match(url)) return res.body;
      const [mine, copy] = res.body.tee();
      cache.put(url, new Response(copy, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => {});
      return mine;
    } catch (e) {
      return res.body; // storage refused (private mode, quota): the page works, just not offline
    }
  }
  const isSample = (url) => url.includes('/samples-');

  // A model file the reader picked: validated by the app; a bad file is named in a notice and changes nothing.
  async function loadModelFile(file) {
    if (file.size > 16 << 20) {
      notice(
        file.name +
          ': ' +
          (file.size / 1e6).toFixed(1) +
          ' MB is far too large for a model of this network (about 0.4 MB); nothing was changed',
      );
      return;
    }
    showModel(new Uint8Array(await file.arrayBuffer()), file.name);
  }

  // Model bytes into the app, which validates them; a refusal becomes its notice. Returns the app's message.
  function showModel(bytes, name) {
    return withString(name, (n) => withBytes(bytes, (p) => str(mod._bs_load_model(p, bytes.length, n))));
  }

  async function loadPretrained() {
    const name = state().pretrainedFile,
      myBook = bookSerial;
    try {
      const res = await fetch(asset('assets/' + name));
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (myBook === bookSerial) showModel(bytes, name);
    } catch (e) {
      if (myBook === bookSerial)
        notice(
          name +
            ' could not be loaded (' +
            ((e && e.message) || e) +
            '); the figures will follow the model training here',
        );
    }
  }

  async function start() {
    followColourScheme();
    // Readers who ask for less motion get the still, pretrained figure; live training is a button away.
    const params = new URLSearchParams(location.search);
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches && !params.has('train') && !params.has('step')) {
      set({ train: 'pretrained' });
    }
    // The live model trains in a Web Worker wherever there is one, so the page's frames carry no training
    // (?trainer=page keeps it on the page's thread, as the desktop app does).
    const pairs = [...params];
    if (window.Worker && !params.has('trainer')) pairs.unshift(['trainer', 'worker']);
    const query = JSON.stringify(pairs);
    const errors = JSON.parse(withString(query, (q) => str(mod._bs_apply_query(q, embed ? 1 : 0)))).errors;
    if (errors.length) console.warn('booksmart: ignored URL parameters:', errors.join('; '));
    bookSerial = mod._bs_state_serial();
    book = state().dataset;
    await loadBook();
  }

  // The book's data, into a state that has none. Small things first, so figures appear at once; then the test
  // set (analysis), then the training set.
  async function loadBook() {
    const myBook = bookSerial;
    startWorkerIfWanted(state());
    await Promise.all([
      loadPretrained(),
      streamFile('samples-images-idx3-ubyte'),
      streamFile('samples-labels-idx1-ubyte'),
    ]);
    if (myBook !== bookSerial) return;
    testStreamed = streamSplit('t10k');
    streamTrainingSetIfWanted();
  }

  // A dataset switch (set({dataset}), ?dataset=, the Data view) has replaced the app's state with an empty one
  // for the other book: the old book's streams stop at their next chunk, its worker goes, and the new book
  // streams from the start. Nothing of one book reaches the other.
  let bookSerial = 0,
    book = 'mnist';
  function followBookSwitch() {
    if (!mod || !bookSerial) return; // before start(): the URL's dataset is applied there
    const now = mod._bs_state_serial();
    if (now === bookSerial) return;
    bookSerial = now;
    book = state().dataset;
    trainer.stop();
    testStreamed = trainStreamed = null;
    ++pageTrainStream;
    loadBook();
  }

  // The training set is most of the download. The article streams it at once (it trains, and keeps an offline
  // copy); an embed only when the app or its worker wants it (live training, a view or an experiment that reads
  // it), which it checks at the start, after each set() and four times a second.
  // When the live model trains in the worker, the page only checks and counts the training images (the app
  // decides at the first chunk: state().trainingSetCopy) and the worker alone holds them. If a view that reads
  // them is opened later, the page fetches them again for itself (from the offline copy once there is one).
  let testStreamed = null,
    trainStreamed = null,
    pageTrainStream = 0;
  const streamSplit = (split, to) =>
    Promise.all(
      ['images', 'labels'].map((kind) =>
        streamFile(split + '-' + kind + '-idx' + (kind === 'images' ? 3 : 1) + '-ubyte', to),
      ),
    );
  function streamTrainingSetIfWanted(s) {
    if (!testStreamed) return;
    s = s || state();
    startWorkerIfWanted(s);
    if (!trainStreamed && (!embed || s.trainingSetWanted || s.trainingSetForWorker)) {
      trainStreamed = streamSplit('train');
      Promise.all([testStreamed, trainStreamed]).then(() => {
        timings.dataStreamed = performance.now() - t0;
      });
    } else if (trainStreamed && s.trainingSetWanted && s.trainingSetCopy === 'counted') {
      mod._bs_keep_training_set();
      ++pageTrainStream;
      streamSplit('train', { page: true, worker: false });
    }
  }

  // The worker starts when the live model is to train there, not before: an embed of the pretrained model
  // needs none. One started after the data began to arrive gets its own copy of what it missed.
  function startWorkerIfWanted(s) {
    if (trainer.worker || trainer.failed || s.trainer !== 'worker' || !s.trainingSetForWorker) return;
    trainer.start();
    trainer.hold(!onscreen);
    if (testStreamed) streamSplit('t10k', { page: false, worker: true });
    if (trainStreamed) streamSplit('train', { page: false, worker: true });
  }

  // An embed out of the viewport stops drawing and computing, and resumes where it was when it comes back
  // (several figures in one article share one phone). The article's own figure is sticky beside its text.
  let onscreen = true;
  function followViewport() {
    if (!embed || !window.IntersectionObserver) return;
    new IntersectionObserver((entries) => {
      onscreen = entries[entries.length - 1].isIntersecting;
      if (mod) mod._bs_set_onscreen(onscreen ? 1 : 0);
      trainer.hold(!onscreen);
      if (onscreen) watchFrames();
    }).observe(frame);
  }

  // ---- the training worker (shell/trainer-worker.js; src/app/remote_training.h) ---------------------------
  // With ?trainer=worker the live model trains in a Web Worker. The training and test files' chunks go there too
  // (it measures the test accuracy at checkpoints), the reader's run request follows every change, and each
  // frame takes the worker's reports: every checkpoint in order, and of the plain reports only the latest.
  const isCheckpoint = (msg) => msg.report[8] === 1; // RunReport's checkpoint flag (core/train/remote_run.cpp)
  const trainer = {
    worker: null,
    failed: false,
    heapBytes: 0,
    lastRequest: '',
    queue: [],
    trialQueue: [],
    start() {
      try {
        this.worker = new Worker(asset('trainer-worker.js'));
      } catch (e) {
        this.fallBack('it could not start: ' + ((e && e.message) || e));
        return;
      }
      const w = this.worker; // a stopped worker's last messages may still arrive: they are dropped
      w.onmessage = (e) => {
        if (this.worker === w) this.receive(e.data);
      };
      // A script that fails to load or throws (a blocked URL, a policy without worker-src): training moves here.
      w.onerror = (e) => {
        e.preventDefault();
        if (this.worker === w) this.fallBack(e.message || 'its script failed');
      };
    },
    // Training and the trial move to the page's thread (app::training_side_failed, which tells the reader);
    // the page then fetches its own copy of the training set.
    fallBack(why) {
      this.stop();
      this.failed = true;
      withString(why, (p) => mod._bs_worker_failed(p));
      streamTrainingSetIfWanted();
    },
    push(file, chunk) {
      if (!this.worker || file > FILE['t10k-labels-idx1-ubyte']) return; // training and test sets only
      const bytes = chunk.slice(); // the page keeps its chunk; the copy moves to the worker
      this.worker.postMessage({ type: 'push', file, bytes }, [bytes.buffer]);
    },
    end(file, ok) {
      if (this.worker && file <= FILE['t10k-labels-idx1-ubyte']) this.worker.postMessage({ type: 'end', file, ok });
    },
    hold(on) {
      if (this.worker) this.worker.postMessage({ type: 'hold', on });
    },
    // The state it trained for is gone (a dataset switch): so is the worker, with its copy of the data.
    stop() {
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.failed = false;
      this.heapBytes = 0;
      this.lastRequest = '';
      this.queue = [];
      this.trialQueue = [];
    },
    receive(msg) {
      if (msg.type === 'error') {
        if (msg.fatal) this.fallBack(msg.message);
        else notice('training worker: ' + msg.message);
        return;
      }
      if (msg.type === 'trial') {
        // Applied in order at the next frame; the worker holds the next plain one until these are taken.
        this.heapBytes = msg.heapBytes;
        this.trialQueue.push(msg);
        return;
      }
      if (msg.type !== 'report') return;
      this.heapBytes = msg.heapBytes;
      const last = this.queue[this.queue.length - 1];
      if (!isCheckpoint(msg) && last && !isCheckpoint(last)) this.queue[this.queue.length - 1] = msg;
      else this.queue.push(msg);
    },
    // Once per frame, before the next one is computed.
    sync() {
      if (!this.worker) return;
      const ptr = mod._bs_run_request();
      const request = new Float64Array(mod.HEAPU8.buffer, ptr, mod._bs_run_request_size()).slice();
      const key = request.join(',');
      if (key !== this.lastRequest) {
        this.lastRequest = key;
        this.worker.postMessage({ type: 'request', request: request.buffer }, [request.buffer]);
      }
      let tookPlain = false;
      for (const msg of this.queue.splice(0)) {
        const err = withBytes(new Uint8Array(msg.report.buffer), (r) =>
          withBytes(new Uint8Array(msg.weights.buffer), (w) =>
            str(mod._bs_run_report(r, msg.report.length, w, msg.weights.length)),
          ),
        );
        if (err) notice('training worker: ' + err);
        if (!isCheckpoint(msg)) tookPlain = true;
      }
      if (tookPlain) this.worker.postMessage({ type: 'taken' });
      // The trial: the figures that arrived (the worker sends the next once these are taken), then the next
      // experiment asked for, if the worker is free for it.
      const results = this.trialQueue.splice(0);
      for (const msg of results) {
        const err = withBytes(new Uint8Array(msg.result.buffer), (p) =>
          str(mod._bs_trial_result(p, msg.result.length)),
        );
        if (err) notice('training worker: ' + err);
      }
      if (results.length) this.worker.postMessage({ type: 'trial-taken' });
      const tp = mod._bs_trial_request();
      if (tp) {
        const trial = new Float64Array(mod.HEAPU8.buffer, tp, mod._bs_trial_request_size()).slice();
        this.worker.postMessage({ type: 'trial', request: trial.buffer }, [trial.buffer]);
      }
    },
  };

  // ---- every frame: milestones, events for an embedding parent, the screen-reader mirror ------------------
  let lastMirror = 0,
    lastEpoch = 0,
    lastFlipped = false,
    framesDrawn = 0;
  function onFrame() {
    ++framesDrawn;
    const now = performance.now();
    recordMilestones(now);
    if (now - lastMirror < 250) return;
    lastMirror = now;
    const s = state();
    fitHeightToContent(s.layout);
    streamTrainingSetIfWanted(s);
    // The page's other scripts (story.js) read this snapshot instead of building state() again.
    window.dispatchEvent(new CustomEvent('booksmart:state', { detail: s }));
    const flipped = s.flipAlpha !== null && s.alpha >= s.flipAlpha && s.prediction === s.target;
    if (window.parent !== window) {
      if (flipped && !lastFlipped) window.parent.postMessage({ type: 'booksmart:flip', state: s }, '*');
      if (s.epochsCompleted > lastEpoch) window.parent.postMessage({ type: 'booksmart:epoch', state: s }, '*');
    }
    lastFlipped = flipped;
    lastEpoch = s.epochsCompleted;
    if (live) {
      const parts = [];
      if (s.prediction >= 0)
        parts.push(
          'Prediction ' +
            s.prediction +
            ' with ' +
            (100 * s.confidence).toFixed(1) +
            '% confidence at alpha ' +
            s.alpha.toFixed(2) +
            (flipped ? ' (flipped)' : ''),
        );
      parts.push(
        s.phase === 'training'
          ? 'training, epoch ' + s.epoch.toFixed(2) + ', test accuracy ' + (100 * s.testAccuracy).toFixed(1) + '%'
          : s.phase,
      );
      parts.push(s.imagesLoaded + ' of ' + s.totalImages + ' images loaded');
      if (s.error) parts.push(s.error);
      const text = parts.join('. ') + '.';
      if (live.textContent !== text) live.textContent = text;
    }
  }

  // The milestones, at the frame that reaches them: the first figure, then the live model's test accuracy
  // levels, with the number of test images behind the accuracy then (the whole set at epoch ends, 2,000
  // between). Clothes are harder than digits: their levels are lower. Five numbers are read each frame
  // (bs_milestones, which allocates nothing) until all are reached.
  const levels = (dataset) => (dataset === 'fashion' ? [85, 88] : [95, 97]);
  function recordMilestones(now) {
    if (timings.firstFigure !== undefined && levels(book).every((level) => timings['accuracy' + level] !== undefined))
      return;
    const [generation, prediction, live, accuracy, images] = new Float64Array(
      mod.HEAPU8.buffer,
      mod._bs_milestones(),
      5,
    );
    if (timings.firstFigure === undefined && generation > 0 && prediction >= 0) timings.firstFigure = now - t0;
    for (const level of levels(book)) {
      if (timings['accuracy' + level] !== undefined || !live || accuracy < level / 100) continue;
      timings['accuracy' + level] = now - t0;
      timings['accuracy' + level + 'Images'] = images;
    }
  }

  // When the reader asks for the whole figure (the story's "Whole figure" on a narrow screen), it is as tall as
  // the open view: a finger scrolls the page and cannot scroll a panel inside the figure, so nothing may hide
  // below its edge. Otherwise the page's CSS sizes it (and the wheel scrolls a view taller than that).
  function fitHeightToContent(layout) {
    if (embed || !layout) return;
    const want = frame.closest('.story.expanded') ? Math.max(420, Math.ceil(layout.contentHeight)) + 'px' : '';
    if (frame.style.height !== want) frame.style.height = want;
  }

  // ---- postMessage: the same commands for an embedding parent ---------------------------------------------
  window.addEventListener('message', async (event) => {
    // Commands come from the page that embeds this one, and from nowhere else.
    if (window.parent === window || event.source !== window.parent) return;
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string' || !msg.type.startsWith('booksmart:')) return;
    await ready;
    const answer = (payload) =>
      event.source &&
      event.source.postMessage(Object.assign({ id: msg.id }, payload), event.origin === 'null' ? '*' : event.origin);
    if (msg.type === 'booksmart:get') answer({ type: 'booksmart:state', state: state() });
    else if (msg.type === 'booksmart:set')
      answer({ type: 'booksmart:result', errors: set(msg.changes), state: state() });
    else
      answer({ type: 'booksmart:result', errors: ['unknown message type ' + JSON.stringify(msg.type).slice(0, 60)] });
  });

  // ---- take-aways: downloads, share links, the reader's own picture -------------------------------------
  function saveFile(name, mime, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // The parameters that reproduce this view come from the app's table of state fields.
  const shareParams = () => new URLSearchParams(JSON.parse(str(mod._bs_share_params())));
  const pageUrl = (file, params) => new URL(file + '?' + params.toString(), base).href;
  const shareUrl = () => pageUrl('index.html', shareParams());
  const embedUrl = () => pageUrl('embed.html', shareParams());
  const embedSnippet = () =>
    '<iframe src="' +
    embedUrl() +
    '" width="720" height="540" loading="lazy" ' +
    'title="Booksmart: why neural networks fall for adversarial examples" ' +
    'sandbox="allow-scripts allow-same-origin" style="border:0;max-width:100%"></iframe>';

  async function copyText(text, what) {
    const status = document.getElementById('booksmart-share-status');
    try {
      await navigator.clipboard.writeText(text);
      if (status) status.textContent = what + ' copied.';
    } catch (e) {
      // No clipboard permission: show the text, selected, so the reader can copy it by hand.
      if (status) status.textContent = what + ' (copy it from the box): ';
      const box = document.getElementById('booksmart-share-text');
      if (box) {
        box.hidden = false;
        box.value = text;
        box.select();
      }
    }
  }

  async function usePicture(file) {
    await ready;
    try {
      if (file.size > 32 << 20)
        throw new Error((file.size / 1e6).toFixed(1) + ' MB is too large for a picture of a digit');
      const bitmap = await createImageBitmap(file);
      const c = document.createElement('canvas');
      c.width = bitmap.width;
      c.height = bitmap.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      const rgba = new Uint8Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer);
      withString(file.name, (n) => withBytes(rgba, (p) => mod._bs_picture(p, c.width, c.height, n)));
    } catch (e) {
      notice(
        file.name + ': not a picture this browser can read (' + ((e && e.message) || e) + '); the drawing is unchanged',
      );
    }
  }

  function followColourScheme() {
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    set({ dark: dark.matches });
    dark.addEventListener('change', () => set({ dark: dark.matches }));
  }

  // ---- the wheel and fingers: the figure's or the article's (src/app/figure_layout.h) --------------------
  // These listeners sit on the canvas's parent and run while an event travels down to the canvas, before
  // SDL's listeners there, which cancel the browser's scrolling. An event the figure does not want stops here:
  // SDL never sees it, and the page scrolls as it would over a picture.
  function routeWheelAndTouch() {
    const at = (p) => {
      const r = canvas.getBoundingClientRect();
      return [p.clientX - r.left, p.clientY - r.top];
    };
    frame.addEventListener(
      'wheel',
      (e) => {
        // Ctrl+wheel is the browser's zoom (a trackpad's pinch arrives as one).
        const [x, y] = at(e);
        if (!mod || e.ctrlKey || !mod._bs_wheel_wanted(x, y, e.deltaX, e.deltaY)) e.stopPropagation();
      },
      { capture: true, passive: true },
    );
    // A gesture whose first finger lands on a slider or the Draw pad is the figure's until the last finger
    // lifts, and the browser must not pan or zoom (preventDefault). Any other gesture is the page's: SDL never
    // sees it, the browser scrolls or zooms, and a tap still reaches the figure as the click the browser makes
    // of it.
    let forFigure = false;
    frame.addEventListener(
      'touchstart',
      (e) => {
        if (e.touches.length === e.changedTouches.length) {
          // the gesture's first finger(s)
          const [x, y] = at(e.changedTouches[0]);
          forFigure = !!mod && e.touches.length === 1 && mod._bs_touch_wanted(x, y) === 1;
        }
        if (forFigure) e.preventDefault();
        else e.stopPropagation();
      },
      { capture: true, passive: false },
    );
    for (const type of ['touchmove', 'touchend', 'touchcancel']) {
      frame.addEventListener(
        type,
        (e) => {
          if (!forFigure) e.stopPropagation();
        },
        { capture: true, passive: true },
      );
    }
  }

  window.booksmart = {
    ready,
    state: () => (mod ? state() : { phase: 'loading', imagesLoaded: 0, timings: Object.assign({}, timings) }),
    set: (changes) => (mod ? set(changes) : ['the app is still starting']),
    // FNV-1a over the training and test images and labels that have arrived (tests compare it with the files).
    checksum: () => (mod ? str(mod._bs_data_checksum()) : ''),
    // Saves the figure as PNG ('png'), the model on view ('model') or a plotted series ('csv:training',
    // 'csv:flip-rate', 'csv:off-span', 'csv:sparsity', 'csv:probabilities'); returns refusals like set().
    download: (kind) => (mod ? set({ export: kind }) : ['the app is still starting']),
    shareUrl: () => (mod ? shareUrl() : location.href),
    embedSnippet: () => (mod ? embedSnippet() : ''),
  };

  // ---- start ---------------------------------------------------------------------------------------------
  if (typeof WebAssembly !== 'object' || !window.DecompressionStream) {
    showProblem('This browser lacks WebAssembly or DecompressionStream, which the interactive figure needs.');
    return;
  }
  // With -sMODULARIZE the object passed in becomes the module, so it is usable from the first callback (main()
  // runs before the returned promise settles).
  const moduleArg = {
    canvas,
    locateFile: (path) => asset(path),
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onBooksmartReady() {
      mod = moduleArg;
      timings.appReady = performance.now() - t0;
      readyResolve();
      setTimeout(() => {
        if (!onscreen) mod._bs_set_onscreen(0);
        start();
      }, 0);
    },
    onBooksmartFrame: () => {
      if (mod) {
        followBookSwitch();
        trainer.sync();
        onFrame();
      }
    },
    onBooksmartFatal: (why) => showProblem('The interactive figure cannot run here: ' + why),
    onBooksmartDownload: (name, mime, bytes) => saveFile(name, mime, bytes),
  };
  createBooksmart(moduleArg).catch((e) =>
    showProblem('The interactive figure failed to start: ' + ((e && e.message) || e)),
  );
  frame.addEventListener('pointerdown', () => canvas.focus({ preventScroll: true }));
  routeWheelAndTouch();
  followViewport();
  const picker = document.getElementById('booksmart-model-file');
  if (picker)
    picker.addEventListener('change', async () => {
      await ready;
      if (picker.files[0]) await loadModelFile(picker.files[0]);
    });
  const picture = document.getElementById('booksmart-picture-file');
  if (picture)
    picture.addEventListener('change', () => {
      if (picture.files[0]) usePicture(picture.files[0]);
    });
  // A picture (or a model file) dropped on the figure.
  frame.addEventListener('dragover', (e) => e.preventDefault());
  frame.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (!f) return;
    if (f.name.endsWith('.safetensors')) ready.then(() => loadModelFile(f));
    else usePicture(f);
  });
  const copyLink = document.getElementById('booksmart-copy-link');
  if (copyLink) copyLink.addEventListener('click', () => copyText(window.booksmart.shareUrl(), 'Link'));
  const copyEmbed = document.getElementById('booksmart-copy-embed');
  if (copyEmbed) copyEmbed.addEventListener('click', () => copyText(window.booksmart.embedSnippet(), 'Embed snippet'));
  for (const [id, kind] of [
    ['booksmart-save-png', 'png'],
    ['booksmart-save-model', 'model'],
  ]) {
    const b = document.getElementById(id);
    if (b) b.addEventListener('click', () => window.booksmart.download(kind));
  }
  // Offline after the first visit (the article page registers the worker; embeds use it when it is there).
  if (!embed && 'serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker
      .register(asset('sw.js'))
      .catch((e) => console.warn('booksmart: no offline copy:', (e && e.message) || e));
  }
})();
