'use strict';
// The pages of `make html` (site/), offline: every equation must be typeset by
// the MathJax copied into site/mathjax/ (tools/render_html.py), not shown as
// TeX source, and no page may fetch anything from the network.
//
// The pages are served from a throwaway http server on 127.0.0.1 (as a learner
// would with `python -m http.server`; file:// pages cannot load web fonts).
// Every request to another host is aborted and fails the page, so a page that
// still needs a CDN fails here even on a machine that is online.
// A page whose HTML holds an animated SVG (a replay: <animate> or <set>) must
// play it: two screenshots of each replay 1.5 s apart differ (lib/replay.js).

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { checkReplays } = require('./replay');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.otf': 'font/otf',
  '.json': 'application/json',
};

/** A static file server for `root` on a free port of 127.0.0.1. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Does the page's markdown hold maths ($...$, $$...$$, \(...\))? From the file, before MathJax ran. */
function hasMathSource(html) {
  const blocks = html.match(/<div class="[^"]*jp-MarkdownOutput[^"]*"[\s\S]*?<\/div>/g) || [];
  return blocks.some((b) => /\$|\\\(|\\\[/.test(b));
}

/** Runs in the page once MathJax is done: what it typeset and what TeX is left as text. */
function readMath() {
  const markdown = [...document.querySelectorAll('.jp-MarkdownOutput')].map((e) => e.innerText).join('\n');
  const leftover = (markdown.match(/\$\$[^$]{0,60}|\\frac\{[^}]{0,40}|\\sum_[^ ]{0,20}/g) || []).slice(0, 5);
  return {
    mathjax: typeof window.MathJax !== 'undefined' && !!window.MathJax.Hub,
    found: document.querySelectorAll('script[type^="math/tex"]').length,
    rendered: document.querySelectorAll('.MathJax_CHTML').length,
    errors: [...document.querySelectorAll('.mjx-merror, .MathJax_Error')].map((e) => e.textContent).slice(0, 5),
    leftover,
  };
}

/**
 * Open every page of `siteDir` in `context` (a Playwright browser context) and check it.
 * Returns one result per page: { name, ok, problems: [{kind, message}], t: { total } }.
 */
async function checkSite(context, siteDir, outDir, log) {
  const index = path.join(siteDir, 'index.html');
  if (!fs.existsSync(index)) {
    return [{ name: 'site', ok: false, problems: [{ kind: 'site', message: `${index} does not exist; run \`make html\`` }], t: {} }];
  }
  const pages = ['index.html', ...fs.readdirSync(siteDir).filter((f) => f.endsWith('.html') && f !== 'index.html').sort()];
  const server = await serve(siteDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  const page = await context.newPage();
  const results = [];
  let external = [];
  let failed = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base + '/')) return route.continue();
    external.push(url);
    return route.abort();
  });
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url().slice(base.length)}`));
  try {
    for (const file of pages) {
      const name = `site:${file}`;
      const t0 = Date.now();
      const problems = [];
      external = [];
      failed = [];
      try {
        await page.goto(`${base}/${file}`, { waitUntil: 'load', timeout: 60000 });
        // MathJax 2 runs its queue in order: a callback queued now runs after the page's typesetting.
        await page.waitForFunction(() => window.MathJax && window.MathJax.Hub && window.MathJax.isReady, null, { timeout: 30000 }).catch(() => {});
        await page.evaluate(() => window.MathJax && window.MathJax.Hub && new Promise((done) => window.MathJax.Hub.Queue(done)));
        const m = await page.evaluate(readMath);
        const wantMath = hasMathSource(fs.readFileSync(path.join(siteDir, file), 'utf8'));
        if (wantMath && !m.mathjax) problems.push({ kind: 'math', message: 'MathJax did not load (is site/mathjax/ there?)' });
        if (wantMath && m.rendered === 0) problems.push({ kind: 'math', message: `the page has maths but no typeset equation (${m.found} found by MathJax)` });
        if (m.found > m.rendered) problems.push({ kind: 'math', message: `${m.found - m.rendered} of ${m.found} equations were not typeset` });
        if (m.errors.length) problems.push({ kind: 'math', message: `MathJax could not typeset: ${m.errors.join(' | ')}` });
        if (m.leftover.length) problems.push({ kind: 'math', message: `TeX source shown as text: ${m.leftover.join(' | ')}` });
        if (m.rendered) log(`    ${file}: ${m.rendered} equation(s) typeset`);
        const source = fs.readFileSync(path.join(siteDir, file), 'utf8');
        if (/<svg\b[\s\S]*<(animate|set)\b/.test(source)) {
          const r = await checkReplays(page, null, 0, 1); // at least one, and every one found plays
          problems.push(...r.problems);
          for (const d of r.replays) log(`    ${file}: replay ${d.index + 1}: ${d.changed} of ${d.total} pixels (${d.width}×${d.height}) changed in 1.5 s`);
        }
        await page.screenshot({ path: path.join(outDir, `site-${file.replace(/\.html$/, '')}.png`), timeout: 60000 });
      } catch (e) {
        problems.push({ kind: 'site', message: `${file}: ${e.message.split('\n')[0]}` });
      }
      if (external.length) problems.push({ kind: 'network', message: `requests to the network (blocked): ${[...new Set(external)].join(', ')}` });
      if (failed.length) problems.push({ kind: 'missing', message: `failed requests: ${[...new Set(failed)].join(', ')}` });
      results.push({ name, ok: problems.length === 0, problems: problems.map((p) => ({ ...p, index: null, source: '' })), t: { total: Date.now() - t0 } });
    }
  } finally {
    await page.close().catch(() => {});
    server.close();
  }
  return results;
}

module.exports = { checkSite, hasMathSource };
