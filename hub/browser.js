'use strict';
// One learner's path through the room's hub in headless Chromium (make test-hub):
// the hub's login page -> first-use password -> their JupyterLab -> Linear_Regression
// -> Run > Run All Cells -> every cell ran, a plot rendered as <svg>, no panic, no error.
// playwright-core comes from e2e/node_modules (pinned by e2e/package-lock.json;
// `make e2e-deps`), the browser is the system's Chromium (CHROMIUM). No download.
//
// env: HUB_URL, HUB_USER, HUB_PASSWORD, HUB_NOTEBOOK (path in the learner's home),
//      HUB_OUT (screenshot folder), CHROMIUM (/usr/bin/chromium), HUB_BROWSER_TIMEOUT (s, 300)
// Prints progress, then one JSON line: {ok, problems, t: {login, open, first_plot, end} (ms)}.

const path = require('node:path');
const { chromium } = require(path.join(__dirname, '..', 'e2e', 'node_modules', 'playwright-core'));
const { CHROMIUM_ARGS, PANIC_MARKER, ERROR_TEXT } = require(path.join(__dirname, '..', 'e2e', 'lib', 'lab'));

const env = process.env;
const TIMEOUT = Number(env.HUB_BROWSER_TIMEOUT || 300) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs in the page: what the open notebook shows. */
function readNotebook() {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')].map((c) => {
    const prompt = (c.querySelector('.jp-InputPrompt') || {}).textContent || '';
    const out = c.querySelector('.jp-OutputArea');
    return {
      prompt: prompt.trim(),
      svg: out ? out.querySelectorAll('svg').length : 0,
      text: out ? out.innerText : '',
      stderr: out ? [...out.querySelectorAll('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')].map((e) => e.innerText).join('\n') : '',
    };
  });
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return { cells, busy: status ? status.getAttribute('data-status') : null };
}

async function main() {
  const result = { ok: false, problems: [], t: {} };
  const base = env.HUB_URL;
  const browser = await chromium.launch({ executablePath: env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(60000);
  const t0 = Date.now();
  let step = 'open the login page';
  try {
    await page.goto(`${base}/hub/login`, { waitUntil: 'domcontentloaded' });
    step = 'log in (first use: the password is set now)';
    await page.fill('input[name="username"]', env.HUB_USER);
    await page.fill('input[name="password"]', env.HUB_PASSWORD);
    await Promise.all([page.waitForURL(new RegExp(`/user/${env.HUB_USER}/lab`), { timeout: 120000 }), page.click('[type="submit"]')]);
    result.t.login = Date.now() - t0;
    console.log(`logged in as ${env.HUB_USER}: ${page.url()} (${result.t.login} ms)`);

    step = `open ${env.HUB_NOTEBOOK}`;
    await page.goto(`${base}/user/${env.HUB_USER}/lab/tree/${env.HUB_NOTEBOOK}?reset`, { waitUntil: 'domcontentloaded' });
    await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').first().waitFor({ timeout: 120000 });
    step = 'wait for the Rust kernel (toolbar shows Rust and Idle)';
    await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName', { hasText: 'Rust' }).waitFor({ timeout: 120000 });
    await page.waitForFunction(() => {
      const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
      return s && s.getAttribute('data-status') === 'idle';
    }, null, { timeout: 120000 });
    result.t.open = Date.now() - t0;

    step = 'Run > Run All Cells';
    const tr = Date.now();
    await page.locator('.lm-MenuBar .lm-MenuBar-item', { has: page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }) }).click();
    await page.locator('.lm-Menu .lm-Menu-item:not(.lm-mod-disabled)', { has: page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }) }).first().click();
    step = 'wait for every cell to run';
    let view = null;
    let idle = 0;
    for (;;) {
      await sleep(1000);
      view = await page.evaluate(readNotebook);
      if (result.t.first_plot === undefined && view && view.cells.some((c) => c.svg > 0)) {
        result.t.first_plot = Date.now() - tr;
        console.log(`first plot rendered after ${result.t.first_plot} ms`);
      }
      const done = view && view.cells.every((c) => /\[\d+\]/.test(c.prompt));
      idle = view && view.busy === 'idle' && !view.cells.some((c) => c.prompt.includes('*')) ? idle + 1 : 0;
      if (done && idle >= 2) break;
      if (idle >= 5) break; // stopped at an error: reported below
      if (Date.now() - tr > TIMEOUT) throw new Error(`Run All did not finish in ${TIMEOUT / 1000} s (HUB_BROWSER_TIMEOUT)`);
    }
    result.t.end = Date.now() - tr;
    const notRun = view.cells.filter((c) => !/\[\d+\]/.test(c.prompt)).length;
    if (notRun) result.problems.push(`${notRun} code cells did not run`);
    if (!view.cells.some((c) => c.svg > 0)) result.problems.push('no <svg> plot rendered');
    const panics = view.cells.filter((c) => c.text.includes(PANIC_MARKER));
    if (panics.length) result.problems.push(`a panic: ${panics[0].text.slice(0, 300)}`);
    const errors = view.cells.filter((c) => ERROR_TEXT.test(c.stderr)); // as e2e/run.js: stdout may say "error" (a mean squared error)
    if (errors.length) result.problems.push(`an error: ${errors[0].stderr.slice(0, 300)}`);
    result.svgs = view.cells.reduce((n, c) => n + c.svg, 0);
    result.ok = result.problems.length === 0;
  } catch (e) {
    result.problems.push(`${step}: ${e.message.split('\n')[0]}`);
  } finally {
    if (env.HUB_OUT) await page.screenshot({ path: path.join(env.HUB_OUT, 'browser.png'), fullPage: false }).catch(() => {});
    await browser.close();
  }
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, problems: [String(e)] }));
  process.exit(1);
});
