// How the page is shown: the embed mode for slides and iframes, the panel selection, and the
// "Copy link" / "Copy embed code" buttons that make such a view.
//
// - `?embed=1` hides the page chrome (header, footer) and lays the chosen panels out for the
//   frame's size (data-frame s, m or l): panels side by side, settings behind the Settings button,
//   drawing, images and charts sized for the frame. What still does not fit is zoomed out (CSS zoom,
//   so clicks and drawing still land right), but never below the zoom at which the smallest text is
//   11 CSS px; past that the frame scrolls.
// - `?panels=input,attack` shows only those panels, in that order.
// - An embedded lab never moves keyboard focus by itself (ui.js showError checks
//   document.hasFocus()), so arrow keys keep driving the slide deck until the frame is clicked;
//   Escape inside the frame hands the keys back to the deck.
import { t } from './i18n.js';
import { $, $$ } from './ui.js';
import { PANELS, currentUrl } from './state.js';
import { drawChart } from './charts.js';

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
    const refit = fitToFrame();
    const settings = $('#settings-btn');
    settings.addEventListener('click', () => {
      const open = document.body.classList.toggle('settings-open');
      settings.setAttribute('aria-expanded', String(open));
      settings.dataset.i18n = open ? 'settings_hide' : 'settings';
      settings.textContent = t(settings.dataset.i18n);
      refit();
    });
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

// The smallest text an embed may show, in CSS px at the frame's size.
export const MIN_TEXT_PX = 11;

// The frame's size class: s for a 640x360 frame, m for 960x540, l for larger.
const frameSize = () => (window.innerHeight <= 450 || window.innerWidth <= 700 ? 's' : window.innerHeight <= 620 ? 'm' : 'l');

// The smallest font size of the visible text in the lab and its status bar, unzoomed.
function smallestText() {
  let min = Infinity;
  for (const el of $$('.statusbar, #lab')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!n.textContent.trim() || !p.checkVisibility()) continue;
      min = Math.min(min, parseFloat(getComputedStyle(p).fontSize));
    }
  }
  return Number.isFinite(min) ? min : 13;
}

// Keeps the lab inside the window: picks the layout for the frame, measures it unzoomed and zooms
// it out just enough (never in, never below readable text); a lab that still does not fit scrolls.
// Returns a function that fits it again (after the settings open or close).
function fitToFrame() {
  const main = $('#lab');
  let scheduled = false;
  let drawnAt = 1;
  const fit = () => {
    scheduled = false;
    place();
    // Charts drawn at another zoom are drawn again, so their text keeps the page's size.
    const zoom = Number(main.style.zoom || 1);
    if (zoom !== drawnAt) {
      drawnAt = zoom;
      for (const canvas of $$('canvas.chart')) {
        if (!canvas.chartSpec || !canvas.checkVisibility()) continue;
        try { drawChart(canvas, canvas.chartSpec); } catch { /* it keeps the drawing it had */ }
      }
    }
  };
  const place = () => {
    document.body.dataset.frame = frameSize();
    const doc = document.documentElement;
    const fits = (z) => {
      main.style.zoom = String(z);
      return doc.scrollHeight <= window.innerHeight && doc.scrollWidth <= window.innerWidth;
    };
    document.body.classList.remove('embed-scrolls');
    if (fits(1)) return;
    const floor = Math.min(1, MIN_TEXT_PX / smallestText());
    if (!fits(floor)) {
      document.body.classList.add('embed-scrolls');
      return;
    }
    // Zooming out reflows the grid into more room, so search instead of dividing once.
    let lo = floor;
    let hi = 1;
    for (let i = 0; i < 8; i++) {
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
  return schedule;
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
