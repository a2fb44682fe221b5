// The story drives the figure: one figure stays in view (beside the text on wide screens, above it on narrow
// ones) and each section of the article sets it to what the section describes. A section's state is in its
// HTML (data-figure='{"view": "overlay", "alpha": 0.3, ...}', field names as set() takes them:
// docs/state-api.md), so the text can be edited without touching the app. Numbers glide to their new value
// unless the reader asked for less motion. The reader can take the controls at any time; "Back to the story"
// then restores the section in view. Controls inside the prose ([data-bind]) are bound to the same fields, and
// [data-bind-value] outputs show a field's value.
(function () {
  'use strict';
  const sections = [...document.querySelectorAll('section[data-figure]')];
  const back = document.getElementById('story-back');
  const where = document.getElementById('story-where');
  const expand = document.getElementById('figure-expand');
  const story = document.querySelector('.story');
  if (!sections.length || !window.booksmart) return;
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  const wide = window.matchMedia('(min-width: 1280px)'); // page.css: the figure beside the text
  const GLIDE_MS = 600;
  const ANIMATED = new Set(['alpha']); // numbers that glide; the rest (views, neurons, k) jump

  let active = null; // the section being read
  let lastErrors = []; // what set() refused of the last section's state (a typo in the HTML)
  let glide = null; // the running transition: { field, from, to, start }
  // A link that names a view (a share link, an embed's parent) shows that view: the story waits until the
  // reader asks for it. A plain visit follows the story from the start.
  const params = [...new URLSearchParams(location.search).keys()].filter((k) => k !== 'train');
  let following = params.length === 0;
  const wanted = new Map(sections.map((s) => [s, parse(s)]));

  function parse(section) {
    try {
      const state = JSON.parse(section.dataset.figure);
      if (state && typeof state === 'object' && !Array.isArray(state)) return state;
    } catch (e) {
      /* reported below */
    }
    console.warn("booksmart: a section's data-figure is not a JSON object:", section.dataset.figure);
    return {};
  }
  const title = (section) => (section.querySelector('h2') || {}).textContent || '';

  // The section being read: the last one whose top has passed a line across the screen (the middle on wide
  // screens; below the sticky figure on narrow ones).
  function sectionInView() {
    const line = window.innerHeight * (wide.matches ? 0.5 : 0.75);
    let found = sections[0];
    for (const s of sections) if (s.getBoundingClientRect().top <= line) found = s;
    return found;
  }

  function apply(section) {
    const state = wanted.get(section);
    const now = window.booksmart.state();
    const jump = {};
    glide = null;
    for (const [field, value] of Object.entries(state)) {
      if (ANIMATED.has(field) && !reduced.matches && typeof now[field] === 'number' && now[field] !== value) {
        glide = { field, from: now[field], to: value, start: performance.now() };
      } else {
        jump[field] = value;
      }
    }
    const errors = window.booksmart.set(jump);
    lastErrors = errors;
    if (errors.length) console.warn('booksmart: section "' + title(section) + '":', errors.join('; '));
    if (glide) requestAnimationFrame(step);
    active = section;
    if (where) where.textContent = 'Figure: ' + title(section);
    if (section !== sections[0]) warmUp();
  }

  function step(t) {
    if (!glide) return;
    const u = Math.min(1, (t - glide.start) / GLIDE_MS);
    const eased = u < 0.5 ? 2 * u * u : 1 - 2 * (1 - u) * (1 - u);
    window.booksmart.set({ [glide.field]: glide.from + (glide.to - glide.from) * eased });
    if (u < 1) requestAnimationFrame(step);
    else glide = null;
  }

  // Whether the figure still shows the active section's state (the reader has not changed any of its fields).
  function onStory(s) {
    if (!following) return false;
    if (!active || glide) return true;
    for (const [field, value] of Object.entries(wanted.get(active))) {
      const have = s[field];
      if (typeof value === 'number' ? Math.abs(have - value) > 1e-6 : have !== value) return false;
    }
    return true;
  }

  // A new section in view sets the figure. Opened from a link that names a view, the figure keeps that view
  // while the reader scrolls, until "Follow the story".
  function onScroll() {
    const s = sectionInView();
    if (s === active) return;
    if (!following) {
      active = s;
      if (where) where.textContent = 'Figure: the view your link named';
      return;
    }
    apply(s);
  }

  // ---- the prose's own controls and outputs ---------------------------------------------------------------
  const controls = [...document.querySelectorAll('[data-bind]')];
  const outputs = [...document.querySelectorAll('[data-bind-value]')];
  let held = null; // the prose's control a pointer is dragging: it leads, the state follows
  for (const c of controls) {
    c.addEventListener('pointerdown', () => {
      held = c;
    });
    c.addEventListener('input', () => {
      glide = null;
      const value = c.type === 'range' ? Number(c.value) : c.value;
      const errors = window.booksmart.set({ [c.dataset.bind]: value });
      if (errors.length) console.warn('booksmart:', errors.join('; '));
    });
  }
  function format(v, how) {
    if (v === null || v === undefined) return 'none';
    if (typeof v === 'number' && how === 'fixed2') return v.toFixed(2);
    return String(v);
  }
  // Four times a second, from the snapshot booksmart.js takes of state() anyway.
  function refresh(s) {
    if (s.phase === 'loading') return;
    if (!active) onScroll();
    for (const c of controls) {
      if (held === c) continue;
      const v = s[c.dataset.bind];
      if (v !== undefined && v !== null && String(c.value) !== String(v)) c.value = v;
    }
    for (const o of outputs) {
      const text = format(s[o.dataset.bindValue], o.dataset.format);
      if (o.textContent !== text) o.textContent = text;
    }
    fitChrome(s);
    if (back) {
      back.hidden = onStory(s);
      const label = following ? 'Back to the story' : 'Follow the story';
      if (back.textContent !== label) back.textContent = label;
    }
  }

  window.addEventListener('pointerup', () => {
    held = null;
  });
  window.addEventListener('pointercancel', () => {
    held = null;
  });
  if (back)
    back.addEventListener('click', () => {
      following = true;
      apply(active || sectionInView());
    });
  // On a phone the figure that follows the story shows its view alone (compact), so the picture, not the
  // controls around it, fills the half screen it has; "Whole figure" puts it in the flow with everything.
  // (Wider screens have room for the status line and the tabs.)
  const expanded = () => story && story.classList.contains('expanded');
  const phone = window.matchMedia('(max-width: 699px)');
  function fitChrome(s = window.booksmart.state()) {
    const compact = following && phone.matches && !expanded();
    if (s.compact !== compact) window.booksmart.set({ compact });
  }
  phone.addEventListener('change', () => fitChrome());
  if (expand && story) {
    expand.addEventListener('click', () => {
      const open = story.classList.toggle('expanded');
      expand.setAttribute('aria-expanded', String(open));
      expand.textContent = open ? 'Keep the figure in view' : 'Whole figure';
      fitChrome();
      if (!open) document.querySelector('figure.app').scrollIntoView({ block: 'start' });
    });
  }
  // The figure breaks out of the text's column to the page's width, which 100vw overstates by the width of a
  // classic (not overlaid) scrollbar.
  function measureScrollbar() {
    document.documentElement.style.setProperty(
      '--scrollbar',
      window.innerWidth - document.documentElement.clientWidth + 'px',
    );
  }
  measureScrollbar();
  window.addEventListener('resize', measureScrollbar);
  let pending = false;
  window.addEventListener(
    'scroll',
    () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        onScroll();
      });
    },
    { passive: true },
  );
  // The data subspace takes the page about ten seconds to find once the training set is in. A story that will
  // need it asks for it (setting k does) as soon as the reader moves past the first section, so it is there by
  // the time they reach it; not at the start, where it would compete with the first seconds of training.
  function warmUp() {
    const needs = sections.map((sec) => wanted.get(sec)).find((st) => 'k' in st);
    if (needs && window.booksmart.state().k == null) window.booksmart.set({ k: needs.k });
  }
  window.booksmart.ready.then(onScroll);
  window.addEventListener('booksmart:state', (e) => refresh(e.detail));

  // For tests and curious readers: the section in view and whether the figure still shows its state.
  window.booksmart.story = () => ({
    section: active ? title(active) : null,
    state: active ? Object.assign({}, wanted.get(active)) : null,
    following,
    errors: lastErrors.slice(),
    onStory: onStory(window.booksmart.state()),
    gliding: glide !== null,
  });
})();
