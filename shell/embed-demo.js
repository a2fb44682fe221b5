// The demo article's own control: drives the overlay figure's alpha over postMessage and shows its answer.
(function () {
  'use strict';
  const frame = document.getElementById('demo-overlay');
  const slider = document.getElementById('demo-alpha');
  const readout = document.getElementById('demo-readout');
  let id = 0;
  const send = (changes) => frame.contentWindow.postMessage({ type: 'booksmart:set', id: ++id, changes }, '*');
  slider.addEventListener('input', () => send({ alpha: Number(slider.value) }));
  window.addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow || !e.data || !e.data.state) return;
    const s = e.data.state;
    if (s.prediction >= 0)
      readout.textContent = 'prediction: ' + s.prediction + ' (' + (100 * s.confidence).toFixed(1) + '%)';
  });
})();
