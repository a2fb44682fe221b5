// The article's live parts: numbers in the prose ([data-state] elements, read from window.booksmart.state()),
// and the trial section, built from state().trial: each experiment's fixed predictions (the app's table),
// what this page measured, and the verdicts. Beside them, the figures `booksmart trial --seed 1 --kernels
// portable --json --without-measures` computed for the pretrained model when the page was built (assets/trial.json; a test keeps it
// in step with the code): [data-trial] elements in the prose, a column of each table and a second verdict grid.
// The same for the two books' figures (assets/books.json, [data-books] elements). Nothing here is typed by hand:
// a value not measured yet says so.
(function () {
  'use strict';
  const experiments = document.getElementById('trial-experiments');
  const verdict = document.getElementById('trial-verdict');
  const status = document.getElementById('trial-status');
  const run = document.getElementById('trial-run');
  const builtVerdict = document.getElementById('trial-verdict-built');
  const seedsVerdict = document.getElementById('trial-verdict-seeds');
  let built = null; // assets/trial.json once fetched
  let builtProblem = '';
  let seeds = null; // assets/trial-summary.json (docs/trial/summary.json) once fetched
  let seedsProblem = '';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  const symbols = {
    agrees: '\u2713',
    mixed: '\u00b1',
    disagrees: '\u2717',
    silent: '\u2013',
    pending: '\u2026',
    undecided: '?',
    notRunAsDesigned: '\u2205',
  };
  // The second trial's readings, in words (its names are camelCase keys).
  const words = { notRunAsDesigned: 'not run as designed' };
  const word = (agreement) => words[agreement] || agreement;
  const byOrder = (obj) => Object.entries(obj).sort((a, b) => a[1].order - b[1].order);
  const percent = (v) => (100 * v).toFixed(1) + ' %';
  function lookup(s, path) {
    return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), s);
  }

  // The five-seed summary's words as the agreement keys the tables use; an account without a rule in an
  // experiment is silent there.
  const summaryWords = { 'not run as designed': 'notRunAsDesigned', 'not measured': 'pending' };
  function seedsAgreement(letter, account) {
    if (!seeds) return 'pending';
    const cell = seeds.cells[letter] && seeds.cells[letter][account];
    return cell === undefined ? 'silent' : summaryWords[cell] || cell;
  }
  const significant = (v) => (v === null ? '\u221e' : Number(v.toPrecision(3)).toString());
  // Each rule of one cell: its quantity, the predicted side, the estimate and the 95 % interval over the seeds.
  function seedsMeasured(letter, account) {
    if (!seeds) return seedsProblem || '\u2026';
    const rules = seeds.rules.filter((r) => r.experiment === letter && r.account === account);
    return rules
      .map((r) => {
        const side =
          r.predicts === 'within' ? 'within ' + r.threshold + '\u2013' + r.upper : r.predicts + ' ' + r.threshold;
        const value = r.measured
          ? significant(r.estimate) + ' [' + significant(r.lo) + ', ' + significant(r.hi) + ']'
          : 'not measured';
        return r.quantity + ' ' + side + ': ' + value + (r.failedCheck ? ' (failed check ' + r.failedCheck + ')' : '');
      })
      .join('; ');
  }

  // One formatter for all: toLocaleString builds a new one per call, which on a slow phone costs more than the
  // rest of an update.
  const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  function format(v, how) {
    if (typeof v !== 'number') return String(v);
    if (how === 'percent') return percent(v);
    if (how === 'times') return v.toFixed(2) + '\u00d7';
    if (how === 'fixed2') return v.toFixed(2);
    if (how === 'fixed1') return v.toFixed(1);
    if (how === 'sci') return v.toExponential(1);
    if (how === 'int') return integers.format(Math.round(v));
    return String(v);
  }

  // The build-time figures in the prose; where the asset could not be read, the reason, once, in place.
  function fillBuilt() {
    for (const e of document.querySelectorAll('[data-trial]')) {
      const v = built ? lookup(built, e.dataset.trial) : undefined;
      const text =
        v === undefined
          ? builtProblem
            ? 'unavailable'
            : '\u2026'
          : v === null
            ? 'none found'
            : format(v, e.dataset.format);
      if (e.textContent !== text) e.textContent = text;
    }
    showProblem('trial-built-problem', builtProblem);
  }

  function fillNumbers(s) {
    for (const e of document.querySelectorAll('[data-state]')) {
      const v = lookup(s, e.dataset.state);
      if (typeof v !== 'number' || !(v > 0)) continue;
      const text = format(v, e.dataset.format);
      if (e.textContent !== text) e.textContent = text;
    }
  }

  function statusText(x) {
    if (x.status === 'done') return 'done in ' + x.runSeconds.toFixed(1) + ' s on ' + x.model;
    if (x.status === 'running') return 'running, ' + Math.round(100 * x.progress) + ' %';
    if (x.status === 'waiting') return 'waiting its turn (or for the data)';
    return 'not run yet';
  }

  // One outcome: the verdict word, then what was measured.
  function outcome(label, agreement, measured) {
    return el(
      'td',
      { 'data-label': label, class: 'outcome' },
      el('span', { class: 'verdict agreement-' + agreement }, word(agreement)),
      agreement === 'silent' ? '' : ': ',
      agreement === 'silent' ? '' : measured || 'not measured yet',
    );
  }

  function experimentBlock(name, x) {
    const table = el(
      'table',
      { class: 'trial-table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Account'),
          el('th', {}, 'Predicts'),
          el('th', {}, 'Five seeds, rules fixed before'),
          el('th', {}, 'Pretrained model, full trial (page build)'),
          el('th', {}, 'Model on view, here'),
        ),
      ),
    );
    const body = el('tbody');
    const atBuild = built && built.experiments && built.experiments[name] && built.experiments[name].verdicts;
    const letter = x.title.split('.')[0];
    for (const [key, v] of byOrder(x.verdicts)) {
      const b = atBuild && atBuild[key];
      const five = seedsAgreement(letter, key);
      body.append(
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, v.explanation),
          el('td', { 'data-label': 'Predicts' }, v.prediction),
          five === 'pending'
            ? el('td', { 'data-label': 'Five seeds' }, seedsMeasured(letter, key))
            : outcome('Five seeds', five, seedsMeasured(letter, key)),
          b
            ? outcome('Pretrained, full trial', b.agreement, b.measured)
            : el('td', { 'data-label': 'Pretrained, full trial' }, builtProblem ? 'unavailable' : '\u2026'),
          outcome('Here', v.agreement, v.measured),
        ),
      );
    }
    table.append(body);
    return el(
      'div',
      { class: 'trial-experiment', id: 'trial-' + name },
      el('h3', {}, x.title),
      el('p', {}, x.question),
      el('p', { class: 'live' }, statusText(x)),
      table,
    );
  }

  // Accounts by experiments; `agreementOf(experiment, account)` says what to show.
  function verdictTable(trial, agreementOf) {
    const list = byOrder(trial);
    const head = el('tr', {}, el('th', {}, 'Account'));
    for (const [, x] of list) head.append(el('th', { scope: 'col', title: x.title }, x.title.split('.')[0]));
    const body = el('tbody');
    const accounts = byOrder(list[0][1].verdicts);
    for (const [key, a] of accounts) {
      const row = el('tr', {}, el('th', { scope: 'row' }, a.explanation));
      for (const [name, x] of list) {
        const agreement = agreementOf(name, key, x);
        // On a phone the six columns show a symbol each; the word stays for screen readers.
        row.append(
          el(
            'td',
            { class: 'verdict agreement-' + agreement },
            el('span', { class: 'symbol', 'aria-hidden': 'true' }, symbols[agreement] || '?'),
            el('span', { class: 'word' }, word(agreement)),
          ),
        );
      }
      body.append(row);
    }
    return el('table', { class: 'trial-table trial-verdict' }, el('thead', {}, head), body);
  }

  // The figure's page glue publishes a snapshot of state() with each of its frames' mirrors (booksmart:state,
  // four times a second); the prose reads that one instead of building another. A figure that draws no frames
  // (scrolled away, paused) publishes none, and then the prose asks for its own.
  let snapshot = null,
    snapshotAt = -Infinity;
  window.addEventListener('booksmart:state', (e) => {
    snapshot = e.detail;
    snapshotAt = performance.now();
  });
  let last = '';
  function update(fresh) {
    if (!window.booksmart || !window.booksmart.state) return;
    let s = !fresh && performance.now() - snapshotAt < 1000 ? snapshot : null;
    if (!s)
      try {
        s = window.booksmart.state();
      } catch (e) {
        return;
      }
    if (!s || !s.trial) return;
    fillNumbers(s);
    fillBuilt();
    const key = JSON.stringify(s.trial) + (built ? 'built' : '') + builtProblem + (seeds ? 'seeds' : '') + seedsProblem;
    if (key === last) return;
    last = key;
    const list = byOrder(s.trial);
    if (experiments) experiments.replaceChildren(...list.map(([name, x]) => experimentBlock(name, x)));
    if (verdict) verdict.replaceChildren(verdictTable(s.trial, (e, a, x) => x.verdicts[a].agreement));
    if (seedsVerdict)
      seedsVerdict.replaceChildren(verdictTable(s.trial, (e, a, x) => seedsAgreement(x.title.split('.')[0], a)));
    if (builtVerdict) {
      builtVerdict.replaceChildren(
        verdictTable(s.trial, (e, a) => {
          const x = built && built.experiments && built.experiments[e];
          const b = x && x.verdicts[a];
          return b ? b.agreement : 'pending';
        }),
      );
    }
    const done = list.filter(([, x]) => x.status === 'done').length;
    const busy = list.some(([, x]) => x.status === 'running' || x.status === 'waiting');
    const where = s.trainer === 'worker' ? ' in a background thread' : " between the figure's frames";
    if (status)
      status.textContent = done + ' of ' + list.length + ' experiments done' + (busy ? ', running' + where : '');
    if (run) run.disabled = busy;
  }

  if (run)
    run.addEventListener('click', () => {
      if (window.booksmart && window.booksmart.set) window.booksmart.set({ trial: 'all' });
      update(true);
    });
  // A build-time file: resolves to [value, ''] or, where it cannot be read, [null, the reason in a sentence].
  function loadJson(path, what) {
    return fetch(path)
      .then((r) => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(
        (j) => [j, ''],
        (e) => [null, what + ' (' + path + ') could not be loaded: ' + ((e && e.message) || e) + '.'],
      );
  }
  function showProblem(id, problem) {
    const p = document.getElementById(id);
    if (!p) return;
    p.hidden = !problem;
    p.textContent = problem;
  }
  loadJson('assets/trial.json', 'The build-time figures').then(([j, problem]) => {
    built = j;
    builtProblem = problem;
    fillBuilt();
    update(true);
  });
  loadJson('assets/trial-summary.json', "The five seeds' summary").then(([j, problem]) => {
    seeds = j;
    seedsProblem = problem;
    showProblem('trial-seeds-problem', problem);
    update(true);
  });
  fillBuilt();
  setInterval(() => update(false), 1000);

  // The two books (assets/books.json, scripts/book-figures.py at build time; a test keeps it in step): numbers in
  // the "clothes" section, and its buttons, which switch the figure's dataset.
  loadJson('assets/books.json', 'The two-books figures').then(([books, problem]) => {
    for (const e of document.querySelectorAll('[data-books]')) {
      const v = books ? lookup(books, e.dataset.books) : undefined;
      e.textContent = v === undefined ? 'unavailable' : v === null ? 'none' : format(v, e.dataset.format);
    }
    showProblem('books-problem', problem);
  });
  for (const b of document.querySelectorAll('[data-dataset]')) {
    b.addEventListener('click', () => {
      if (window.booksmart && window.booksmart.set) window.booksmart.set({ dataset: b.dataset.dataset });
    });
  }
})();
