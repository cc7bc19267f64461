// Finds English prose on a page that should be in another language: every visible text node and
// every aria-label, title, alt and placeholder, split into words; a word of three or more Latin
// letters that is not a name the page keeps in every language (parameter names, attack and
// dataset names, units, file formats) counts as English. Used by the Korean walk-through.
export const KEPT = new Set(`
advlab art ibm wong athalye carlini wagner xu madry rust webassembly wasm keras pytorch
adversarialtrainer adversarialtrainermadrypgd adversarialtrainerfbf binaryinputdetector
fastgradientmethod projectedgradientdescent saliencymapmethod carlinil2method deepfool newtonfool
autoprojectedgradientdescent autoattack squareattack hopskipjump featuresqueezing spatialsmoothing
gaussianaugmentation highconfidence gaussiannoise reversesigmoid rounded classlabels
fgsm pgd jsma apgd square bpda eot mnist iris fashion-mnist cifar cifar-10 safetensors npy png csv json tar zip jpeg
setosa versicolor virginica l-inf ceil adam sgd relu softmax batchnorm dropout conv dense
eps epsilon theta gamma eta sigma norm ratio pool flatten
`.split(/\s+/).filter(Boolean));

export async function englishOn(page, kept = KEPT) {
  return page.evaluate((keptList) => {
    // Names the page's own controls carry (parameter names, preset and option ids) are kept too.
    const kept = new Set(keptList);
    for (const el of document.querySelectorAll('[name]')) kept.add(el.getAttribute('name').toLowerCase());
    for (const o of document.querySelectorAll('option')) kept.add(o.value.toLowerCase());
    for (const el of document.querySelectorAll('[translate=no]')) kept.add(el.textContent.trim().toLowerCase());
    const found = [];
    const visible = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden') return false;
        if (e.hidden) return false;
      }
      return true;
    };
    const check = (text, where) => {
      const words = (text.match(/[A-Za-z][A-Za-z0-9_\-']*[A-Za-z0-9]/g) || []).filter((w) => w.length >= 3);
      const english = words.filter((w) => !kept.has(w.toLowerCase()) && !/^[A-Z0-9_\-]+$/.test(w) && !w.includes('_'));
      if (english.length) found.push({ where, text: text.trim().slice(0, 160), words: english.slice(0, 6) });
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || ['SCRIPT', 'STYLE', 'CODE', 'NOSCRIPT'].includes(p.tagName) || p.closest('code, [translate=no]')) continue;
      // Text marked as another language on purpose (the language menu's "English").
      if (p.closest('[lang]') !== document.documentElement) continue;
      if (!n.textContent.trim() || !visible(p)) continue;
      if (p.tagName === 'OPTION' && !visible(p.parentElement)) continue;
      check(n.textContent, p.tagName.toLowerCase() + (p.id ? '#' + p.id : p.className ? '.' + String(p.className).split(' ')[0] : ''));
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
      if (!visible(el) && !el.closest('[aria-live]')) continue;
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) check(v, `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${a}]`);
      }
    }
    return found;
  }, [...kept]);
}
