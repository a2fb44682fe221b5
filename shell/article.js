// The article's live parts: numbers in the prose ([data-state] elements, read from window.booksmart.state()),
// and the trial section, built from state().trial: each experiment's fixed predictions (the app's table),
// what this page measured, and the verdicts. Nothing here is typed by hand: when the app has not measured a
// value yet, the text says so.
(function () {
  'use strict';
  const experiments = document.getElementById('trial-experiments');
  const verdict = document.getElementById('trial-verdict');
  const status = document.getElementById('trial-status');
  const run = document.getElementById('trial-run');

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  const symbols = { agrees: '\u2713', mixed: '\u00b1', disagrees: '\u2717', silent: '\u2013', pending: '\u2026' };
  const byOrder = (obj) => Object.entries(obj).sort((a, b) => a[1].order - b[1].order);
  const percent = (v) => (100 * v).toFixed(1) + ' %';
  function lookup(s, path) {
    return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), s);
  }

  function fillNumbers(s) {
    for (const e of document.querySelectorAll('[data-state]')) {
      const v = lookup(s, e.dataset.state);
      if (typeof v !== 'number' || !(v > 0)) continue;
      const text = e.dataset.format === 'percent' ? percent(v) : String(v);
      if (e.textContent !== text) e.textContent = text;
    }
  }

  function statusText(x) {
    if (x.status === 'done') return 'done in ' + x.runSeconds.toFixed(1) + ' s on ' + x.model;
    if (x.status === 'running') return 'running, ' + Math.round(100 * x.progress) + ' %';
    if (x.status === 'waiting') return 'waiting its turn (or for the data)';
    return 'not run yet';
  }

  function experimentBlock(name, x) {
    const table = el('table', { class: 'trial-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Account'), el('th', {}, 'Predicts'), el('th', {}, 'Measured here'),
        el('th', {}, 'Verdict'))));
    const body = el('tbody');
    for (const [, v] of byOrder(x.verdicts)) {
      body.append(el('tr', { class: 'agreement-' + v.agreement },
        el('th', { scope: 'row' }, v.explanation), el('td', { 'data-label': 'Predicts' }, v.prediction),
        el('td', { 'data-label': 'Measured' }, v.measured || (v.agreement === 'silent' ? '-' : 'not measured yet')),
        el('td', { 'data-label': 'Verdict', class: 'verdict' }, v.agreement)));
    }
    table.append(body);
    return el('div', { class: 'trial-experiment', id: 'trial-' + name },
      el('h3', {}, x.title), el('p', {}, x.question), el('p', { class: 'live' }, statusText(x)), table);
  }

  function verdictTable(trial) {
    const list = byOrder(trial);
    const head = el('tr', {}, el('th', {}, 'Account'));
    for (const [, x] of list) head.append(el('th', { scope: 'col', title: x.title }, x.title.split('.')[0]));
    const body = el('tbody');
    const accounts = byOrder(list[0][1].verdicts);
    for (const [key, a] of accounts) {
      const row = el('tr', {}, el('th', { scope: 'row' }, a.explanation));
      for (const [, x] of list) {
        const agreement = x.verdicts[key].agreement;
        // On a phone the five columns show a symbol each; the word stays for screen readers.
        row.append(el('td', { class: 'verdict agreement-' + agreement },
          el('span', { class: 'symbol', 'aria-hidden': 'true' }, symbols[agreement] || '?'),
          el('span', { class: 'word' }, agreement)));
      }
      body.append(row);
    }
    return el('table', { class: 'trial-table trial-verdict' }, el('thead', {}, head), body);
  }

  let last = '';
  function update() {
    if (!window.booksmart || !window.booksmart.state) return;
    let s;
    try { s = window.booksmart.state(); } catch (e) { return; }
    if (!s || !s.trial) return;
    fillNumbers(s);
    const key = JSON.stringify(s.trial);
    if (key === last) return;
    last = key;
    const list = byOrder(s.trial);
    if (experiments) experiments.replaceChildren(...list.map(([name, x]) => experimentBlock(name, x)));
    if (verdict) verdict.replaceChildren(verdictTable(s.trial));
    const done = list.filter(([, x]) => x.status === 'done').length;
    const busy = list.some(([, x]) => x.status === 'running' || x.status === 'waiting');
    if (status) status.textContent = done + ' of ' + list.length + ' experiments done' + (busy ? ', running' : '');
    if (run) run.disabled = busy;
  }

  if (run) run.addEventListener('click', () => {
    if (window.booksmart && window.booksmart.set) window.booksmart.set({ trial: 'all' });
    update();
  });
  setInterval(update, 1000);
})();
