'use strict';
// Replays (nnlib::plot::Replay) must PLAY: a replay is one SVG animated with
// SMIL (<animate>/<set>, no JavaScript). A browser that draws it but does not
// animate it shows its first frame forever, which no "is there an <svg>" check
// notices. So for each replay on a page (a notebook's output in JupyterLab, a
// page of the site) take two screenshots of it REPLAY_GAP_MS apart and compare
// their pixels: they must differ, and no script error may happen meanwhile.
//
// A replay is an output whose SVG holds an <animate> or <set> element, inline
// (evcxr's text/html output, the site's pages) or in an <img> (an
// image/svg+xml output, which JupyterLab renders as <img src="data:...">; SMIL
// plays there too; its source is read from the data: URL).

const REPLAY_GAP_MS = 1500;
// The screenshots must differ in at least this many pixels: a blinking caret
// or anti-aliasing noise is a few pixels, a moving line or a growing loss curve
// hundreds.
const MIN_CHANGED_PIXELS = 50;

/**
 * Runs in the page: mark every replay under the `nth` element matching `selector` (all of
 * the page: selector null) with data-nn-replay="i", after clearing earlier marks; returns
 * their count.
 */
function markReplays([selector, nth]) {
  for (const el of document.querySelectorAll('[data-nn-replay]')) el.removeAttribute('data-nn-replay');
  const root = selector === null ? document : document.querySelectorAll(selector)[nth];
  if (!root) return 0;
  const animated = (svg) => !!svg.querySelector('animate, set, animateTransform, animateMotion');
  const fromImg = (img) => {
    const src = img.getAttribute('src') || '';
    if (!src.startsWith('data:image/svg+xml')) return false;
    const comma = src.indexOf(',');
    const body = src.slice(0, comma).includes(';base64') ? atob(src.slice(comma + 1)) : decodeURIComponent(src.slice(comma + 1));
    return /<(animate|set)\b/.test(body);
  };
  let n = 0;
  for (const el of root.querySelectorAll('svg, img')) {
    if (el.tagName.toLowerCase() === 'svg' && el.closest('svg') !== el) continue; // only the outer <svg>
    const replay = el.tagName.toLowerCase() === 'svg' ? animated(el) : fromImg(el);
    if (replay) el.setAttribute('data-nn-replay', String(n++));
  }
  return n;
}

/** Runs in the page: how many pixels differ between two PNG screenshots (base64), and of how many. */
async function diffPngs([a, b]) {
  const load = (b64) =>
    new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error('a screenshot did not decode'));
      img.src = 'data:image/png;base64,' + b64;
    });
  const [ia, ib] = await Promise.all([load(a), load(b)]);
  const w = Math.min(ia.width, ib.width);
  const h = Math.min(ia.height, ib.height);
  const pixels = (img) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, w, h).data;
  };
  const pa = pixels(ia);
  const pb = pixels(ib);
  let changed = 0;
  for (let i = 0; i < pa.length; i += 4) {
    if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1] || pa[i + 2] !== pb[i + 2] || pa[i + 3] !== pb[i + 3]) changed++;
  }
  return { changed, total: w * h, width: w, height: h, sameSize: ia.width === ib.width && ia.height === ib.height };
}

/**
 * Check that every replay under the `nth` element matching `selector` (null: the whole page)
 * on `page` plays. `expected`: how many replays
 * there must be (null: any number, 0 included). Returns { problems: [{kind, message}], replays:
 * [{index, changed, total}] }.
 */
async function checkReplays(page, selector, nth, expected = null, gapMs = REPLAY_GAP_MS) {
  const problems = [];
  const replays = [];
  const errors = [];
  const onError = (e) => errors.push(e.message || String(e));
  page.on('pageerror', onError);
  try {
    const n = await page.evaluate(markReplays, [selector, nth]);
    if (expected !== null && n < expected) {
      problems.push({ kind: 'replay', message: `expected ${expected} animated replay(s), found ${n} SVG(s) with <animate> or <set>` });
    }
    for (let i = 0; i < n; i++) {
      const el = page.locator(`[data-nn-replay="${i}"]`);
      await el.scrollIntoViewIfNeeded();
      const first = await el.screenshot({ timeout: 30000 });
      await new Promise((r) => setTimeout(r, gapMs));
      const second = await el.screenshot({ timeout: 30000 });
      const d = await page.evaluate(diffPngs, [first.toString('base64'), second.toString('base64')]);
      replays.push({ index: i, ...d });
      if (d.changed < MIN_CHANGED_PIXELS) {
        problems.push({
          kind: 'replay',
          message:
            `replay ${i + 1} of ${n} does not play: two screenshots ${gapMs} ms apart differ in ${d.changed} of ` +
            `${d.total} pixels (${d.width}×${d.height}), at least ${MIN_CHANGED_PIXELS} expected`,
        });
      }
    }
  } finally {
    page.off('pageerror', onError);
  }
  if (errors.length) problems.push({ kind: 'replay', message: `script errors while the replays played: ${errors.slice(0, 3).join(' | ')}` });
  return { problems, replays };
}

module.exports = { checkReplays, markReplays, diffPngs, REPLAY_GAP_MS, MIN_CHANGED_PIXELS };
