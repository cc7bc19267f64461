// How the page is shown: the embed mode for slides and iframes, the panel selection, and the
// "Copy link" / "Copy embed code" buttons that make such a view.
//
// - `?embed=1` hides the page chrome (header, footer) and fits the chosen panels into the frame
//   without scrollbars: panels sit side by side where they fit, compact, and when they still do not
//   fit, the lab is zoomed out until it does (CSS zoom, so clicks and drawing still land right).
// - `?panels=input,attack` shows only those panels, in that order.
// - An embedded lab never moves keyboard focus by itself (ui.js showError checks
//   document.hasFocus()), so arrow keys keep driving the slide deck until the frame is clicked;
//   Escape inside the frame hands the keys back to the deck.
import { t } from './i18n.js';
import { $, $$ } from './ui.js';
import { PANELS, currentUrl } from './state.js';

const SECTION = { train: 'data-panel', input: 'input-panel', attack: 'attack-panel', map: 'map-panel', curve: 'curve-panel' };

// Applies `view` ({ embed, panels }) to the page.
export function applyView(view) {
  const main = $('#lab');
  const shown = view.panels || PANELS;
  for (const name of PANELS) $(`#${SECTION[name]}`).hidden = !shown.includes(name);
  for (const name of shown) main.append($(`#${SECTION[name]}`));
  document.body.dataset.panels = String(shown.length);
  if (view.embed) {
    document.body.classList.add('embed');
    fitToFrame();
    // Escape hands the keyboard back to the page around the frame (a slide deck's arrows).
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      try { window.parent.focus(); } catch { /* not framed */ }
    });
  }
}

// The visible panels' names, in page order.
export function shownPanels() {
  return $$('#lab > section').filter((s) => !s.hidden).map((s) => PANELS.find((n) => SECTION[n] === s.id));
}

// Keeps the lab inside the window: measures it unzoomed and zooms it out just enough (never in).
function fitToFrame() {
  const main = $('#lab');
  let scheduled = false;
  const fit = () => {
    scheduled = false;
    const doc = document.documentElement;
    const fits = (z) => {
      main.style.zoom = String(z);
      return doc.scrollHeight <= window.innerHeight && doc.scrollWidth <= window.innerWidth;
    };
    if (fits(1)) return;
    // Zooming out reflows the grid into more room, so search instead of dividing once.
    let lo = 0.3;
    let hi = 1;
    for (let i = 0; i < 10; i++) {
      const mid = (lo + hi) / 2;
      if (fits(mid)) lo = mid; else hi = mid;
    }
    fits(lo);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(fit);
  };
  window.addEventListener('resize', schedule);
  // Content that appears later (an attack's result, a curve) may need a smaller zoom.
  new MutationObserver(schedule).observe(main, { subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'] });
  schedule();
}

// The "Copy link" and "Copy embed code" buttons.
export function initShare() {
  const status = $('#share-status');
  const box = $('#share-text');
  async function copy(text, done) {
    box.hidden = false;
    box.value = text;
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = done;
    } catch {
      // No clipboard (an insecure context, a denied permission): the text is shown to copy by hand.
      box.select();
      status.textContent = t('copy_by_hand');
    }
  }
  $('#copy-link-btn').addEventListener('click', () => copy(currentUrl(), t('link_copied')));
  $('#copy-embed-btn').addEventListener('click', () => {
    const [w, h] = $('#embed-size').value.split('x');
    const src = currentUrl({ embed: '1', panels: shownPanels().join(',') });
    const html = `<iframe src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="${w}" height="${h}" style="border:0" title="advlab" loading="lazy"></iframe>`;
    copy(html, t('embed_copied'));
  });
}
