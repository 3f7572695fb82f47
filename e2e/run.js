#!/usr/bin/env node
'use strict';
/*
End-to-end test of the workshop notebooks, the way a learner uses them:
JupyterLab in a (headless) browser, double-click a notebook in the file
browser, Run > Run All Cells, look at the result.

usage: node e2e/run.js [--selftest] [--site] [NAME ...]   (`make e2e` runs it with both)

  NAME        notebook stems to run (default: every notebooks/*.ipynb not
              starting with _, in the order of tools/notebook_order.txt)
  --selftest  first run e2e/selftest.js (the driver must fail on the broken
              fixtures in e2e/fixtures/notebooks and pass the good one); its
              cases count in the closing summary line
  --site      also open every page of site/ (`make html`) with the network
              blocked: each equation must be typeset by the local MathJax
              (e2e/lib/site.js); each page counts as a case

For each notebook it checks, in JupyterLab's DOM:
  * the notebook's kernel (toolbar) is Rust;
  * every code cell has an execution count ([n], not [ ] or [*]);
  * no output is an error (evcxr compile errors and `?` errors come as
    error outputs, rendered as application/vnd.jupyter.stderr) and no output
    contains `panicked at`;
  * every cell whose output is a replay (an SVG with <animate> or <set> in
    the executed copy, or cell metadata {"nnlib": {"replay": true}}) plays:
    two screenshots of its output 1.5 s apart differ in at least 50 pixels,
    with no script error meanwhile (e2e/lib/replay.js);
  * every cell that should show a plot has an <svg> in its output area. A cell
    should show a plot when its output had an <svg> in the headless-executed
    copy target/notebooks/<name>.ipynb (written by `make test-notebooks`; used
    when newer than the notebook), or when its source uses `plot::` and its
    last line (closing braces aside) ends in `)?`. A `Figure { .. }` shown as
    text fails too, and so does a notebook without any <svg>.
A silent kernel: one that is not idle within E2E_KERNEL_TIMEOUT, or that
during Run All shows no new cell count, no new output and uses no CPU (its
processes, rustc's included) for E2E_SILENCE_TIMEOUT. The driver then
describes the kernel's processes, shuts it down, and opens and runs the
notebook ONCE more in a new kernel (nothing is saved, so the rerun starts
from scratch); the result says so ("kernel restarted once"). A second
silence fails the notebook.
A full-page screenshot goes to target/e2e/<name>.png (also when it fails),
the server's log to target/e2e/jupyter.log. The notebook is then closed with
File > Close and Shut Down Notebook (its kernel holds an evcxr build slot)
without saving: autosave is off, the notebooks on disk are never written.

Exit status 0 when everything passed. The last line of output is
`e2e: N passed, M failed`.

Environment:
  E2E_NOTEBOOK_DIR      the server's root (default notebooks/)
  E2E_EXPECT_DIR        executed copies (default target/notebooks; empty: none)
  E2E_OUT_DIR           screenshots and logs (default target/e2e)
  E2E_NOTEBOOK_TIMEOUT  seconds for Run All of one notebook (default 600)
  E2E_KERNEL_TIMEOUT    seconds for its kernel to start and be idle (default 60)
  E2E_SILENCE_TIMEOUT   seconds of no progress and no kernel CPU during Run All (default 60)
  E2E_SITE_DIR          the pages checked by --site (default site)
  E2E_JUPYTER           the `jupyter` to start (default .venv/bin/jupyter)
  CHROMIUM              the browser (default /usr/bin/chromium)
  E2E_HEADED=1          show the browser (needs a display)
*/

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { JupyterServer, ServerError, sleep, treeCpuSeconds, describeProcesses } = require('./lib/server');
const { checkSite } = require('./lib/site');
const { CHROMIUM_ARGS, PANIC_MARKER, ERROR_TEXT } = require('./lib/lab');
const { checkReplays, REPLAY_GAP_MS } = require('./lib/replay');

const REPO = path.resolve(__dirname, '..');
const env = process.env;
const seconds = (v, d) => (v && v.trim() ? Number(v) : d);
const NB_DIR = path.resolve(REPO, env.E2E_NOTEBOOK_DIR || 'notebooks');
const EXPECT_DIR = env.E2E_EXPECT_DIR === '' ? null : path.resolve(REPO, env.E2E_EXPECT_DIR || 'target/notebooks');
const OUT_DIR = path.resolve(REPO, env.E2E_OUT_DIR || 'target/e2e');
const NOTEBOOK_TIMEOUT = seconds(env.E2E_NOTEBOOK_TIMEOUT, 600);
const KERNEL_TIMEOUT = seconds(env.E2E_KERNEL_TIMEOUT, 60);
const SILENCE_TIMEOUT = seconds(env.E2E_SILENCE_TIMEOUT, 60);
const SITE_DIR = path.resolve(REPO, env.E2E_SITE_DIR || 'site');
const JUPYTER = path.resolve(REPO, env.E2E_JUPYTER || '.venv/bin/jupyter');
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const ORDER_FILE = path.join(REPO, 'tools', 'notebook_order.txt');
const KERNEL_DISPLAY_NAME = 'Rust';
const STDERR_MIME = 'application/vnd.jupyter.stderr';

const log = (...a) => console.log(...a);
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------- notebooks on disk

function teachingOrder() {
  try {
    return fs
      .readFileSync(ORDER_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  } catch {
    return [];
  }
}

function discover(names) {
  if (!fs.existsSync(NB_DIR)) throw new Failure(`no notebook folder ${NB_DIR}`);
  const all = fs
    .readdirSync(NB_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => f.slice(0, -'.ipynb'.length));
  if (names.length) {
    const missing = names.filter((n) => !all.includes(n));
    if (missing.length) throw new Failure(`no such notebook in ${NB_DIR}: ${missing.join(', ')}`);
    return names;
  }
  const order = teachingOrder();
  const rank = (n) => (order.includes(n) ? order.indexOf(n) : order.length);
  return all.filter((n) => !n.startsWith('_')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const cellSource = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source || '');
const outputText = (v) => (Array.isArray(v) ? v.join('') : v || '');

/** Does the source end in a plot call, e.g. `plot::curves(...)?` (maybe inside a closing `}`)? */
function endsInPlotCall(source) {
  if (!source.includes('plot::')) return false;
  const lines = source
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//') && !/^}+;?$/.test(l));
  return lines.length > 0 && lines[lines.length - 1].endsWith(')?');
}

/** Which cells (0-based index) must show an <svg>, and why. */
function expectedPlots(name, nb) {
  const why = new Map();
  const copy = EXPECT_DIR && path.join(EXPECT_DIR, `${name}.ipynb`);
  const nbPath = path.join(NB_DIR, `${name}.ipynb`);
  if (copy && fs.existsSync(copy) && fs.statSync(copy).mtimeMs >= fs.statSync(nbPath).mtimeMs) {
    const executed = JSON.parse(fs.readFileSync(copy, 'utf8'));
    const withSvg = new Set(
      executed.cells
        .filter((c) => (c.outputs || []).some((o) => ['text/html', 'image/svg+xml'].some((m) => outputText((o.data || {})[m]).includes('<svg'))))
        .map((c) => c.id),
    );
    nb.cells.forEach((c, i) => withSvg.has(c.id) && why.set(i, `it shows an <svg> in ${path.relative(REPO, copy)}`));
  }
  nb.cells.forEach((c, i) => {
    if (c.cell_type === 'code' && !why.has(i) && endsInPlotCall(cellSource(c))) why.set(i, 'its source ends in a plot:: call');
  });
  return why;
}

/**
 * Which cells (0-based index) show a replay: their output in the executed copy holds an SVG
 * with <animate> or <set>, or their metadata says {"nnlib": {"replay": true}}.
 */
function expectedReplays(name, nb) {
  const replays = new Set();
  nb.cells.forEach((c, i) => (((c.metadata || {}).nnlib || {}).replay === true) && replays.add(i));
  const copy = EXPECT_DIR && path.join(EXPECT_DIR, `${name}.ipynb`);
  const nbPath = path.join(NB_DIR, `${name}.ipynb`);
  if (copy && fs.existsSync(copy) && fs.statSync(copy).mtimeMs >= fs.statSync(nbPath).mtimeMs) {
    const executed = JSON.parse(fs.readFileSync(copy, 'utf8'));
    const animated = (o) => ['text/html', 'image/svg+xml'].some((m) => /<svg[\s\S]*<(animate|set)\b/.test(outputText((o.data || {})[m])));
    const ids = new Set(executed.cells.filter((c) => (c.outputs || []).some(animated)).map((c) => c.id));
    nb.cells.forEach((c, i) => ids.has(c.id) && replays.add(i));
  }
  return [...replays].sort((a, b) => a - b);
}

/** Each expected replay must play in JupyterLab: two screenshots of its output differ. */
async function checkNotebookReplays(page, nb, cells) {
  const problems = [];
  const measured = [];
  for (const i of cells) {
    const r = await checkReplays(page, '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell', i, 1);
    for (const p of r.problems) problems.push(problem('replay', p.message, i, cellSource(nb.cells[i])));
    for (const m of r.replays) measured.push({ cell: i, ...m });
  }
  return { problems, measured };
}

// ---------------------------------------------------------------- the page

/** Runs in the page: what JupyterLab shows for each cell of the open notebook. */
function readCells() {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const kernel = panel.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName');
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    kernelName: kernel ? kernel.textContent.trim() : null,
    status: indicator ? indicator.getAttribute('data-status') : null,
    cells: [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map((c) => ({
      type: c.classList.contains('jp-CodeCell') ? 'code' : c.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
      prompt: (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
      outputs: [...c.querySelectorAll('.jp-OutputArea-output')].map((o) => ({
        mime: o.getAttribute('data-mime-type') || (o.querySelector('[data-mime-type]') || { getAttribute: () => '' }).getAttribute('data-mime-type'),
        text: (o.innerText || '').slice(0, 4000),
        svg: o.tagName.toLowerCase() === 'svg' || !!o.querySelector('svg'),
      })),
    })),
  };
}

async function dialogText(page) {
  const d = page.locator('.jp-Dialog');
  if ((await d.count()) === 0) return null;
  return (await d.first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Click a menu bar entry, then the menu item with this label (a RegExp), as a learner does. */
async function menu(page, top, label) {
  await page.locator('.lm-MenuBar .lm-MenuBar-item', { has: page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }) }).click();
  const item = page
    .locator('.lm-Menu .lm-Menu-item:not(.lm-mod-disabled)', { has: page.locator('.lm-Menu-itemLabel', { hasText: label }) })
    .first();
  await item.waitFor({ state: 'visible', timeout: 10000 });
  await item.click();
}

class Failure extends Error {}
/** The kernel stopped answering (not a problem of the notebook): worth one more try in a new kernel. */
class Silent extends Failure {}

function problem(kind, message, index = null, source = '') {
  return { kind, message, index, source };
}

function renderProblem(p, nCells) {
  const head = p.index === null ? `[${p.kind}] notebook` : `[${p.kind}] cell ${p.index + 1} of ${nCells} (index ${p.index})`;
  const lines = [head];
  if (p.source) {
    const src = p.source.trimEnd().split('\n');
    lines.push('  source:', ...src.slice(0, 12).map((l) => '    | ' + l));
    if (src.length > 12) lines.push(`    | ... (${src.length - 12} more lines)`);
  }
  lines.push('  message:', ...p.message.trimEnd().split('\n').slice(0, 25).map((l) => '    ' + l));
  return lines.join('\n');
}

async function sessionOf(server, file) {
  const sessions = await server.sessions();
  return sessions.find((s) => s.path === file || s.path.endsWith('/' + file)) || null;
}

/** Run one notebook; if its kernel went silent, once more in a new kernel, and say so. */
async function runNotebook(page, server, name) {
  const first = await runOnce(page, server, name);
  if (!first.silent) return first;
  log(`    ${name}: the kernel went silent; closed it, running the notebook again in a new kernel (once)`);
  const second = await runOnce(page, server, name);
  const why = first.problems.find((p) => p.kind === 'silent-kernel');
  second.notes = [`kernel restarted once: ${why ? why.message.split('\n')[0] : 'silent'}`];
  if (second.ok) log(`    ${name}: the first kernel was silent:\n${why ? why.message : ''}`);
  else second.problems.unshift(...first.problems.filter((p) => p.kind === 'silent-kernel'));
  return second;
}

/** Open, run, check, screenshot, close one notebook. */
async function runOnce(page, server, name) {
  const file = `${name}.ipynb`;
  const nb = JSON.parse(fs.readFileSync(path.join(NB_DIR, file), 'utf8'));
  const codeIdx = nb.cells.map((c, i) => (c.cell_type === 'code' ? i : -1)).filter((i) => i >= 0);
  const result = { name, ok: false, problems: [], t: {}, screenshot: path.join(OUT_DIR, `${name}.png`) };
  const t0 = Date.now();
  let step = 'open JupyterLab';
  try {
    // 1. JupyterLab, then double-click the notebook in the file browser.
    // ?reset: an empty workspace, not the tabs of the notebook before.
    await page.goto(`${server.base}/lab?reset&token=${server.token}`, { waitUntil: 'domcontentloaded' });
    step = `find ${file} in the file browser`;
    const entry = page.locator('.jp-DirListing-content .jp-DirListing-itemText').getByText(file, { exact: true });
    await entry.waitFor({ state: 'visible', timeout: 60000 });
    step = `open ${file} (double-click)`;
    await entry.dblclick();
    await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').first().waitFor({ timeout: 60000 });
    await page.waitForFunction((n) => {
      const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
      return panel && panel.querySelectorAll('.jp-Notebook .jp-Cell').length === n;
    }, nb.cells.length, { timeout: 60000 });
    result.t.open = Date.now() - t0;

    // 2. Its kernel starts (evcxr runs evcxr/init.evcxr and prelude.rs first).
    step = 'wait for the Rust kernel to start';
    const tk = Date.now();
    for (;;) {
      const s = await sessionOf(server, file);
      const view = await page.evaluate(readCells);
      server.noteKernelPids();
      if (s && s.kernel && s.kernel.execution_state === 'idle' && view && view.kernelName === KERNEL_DISPLAY_NAME) break;
      if (s && s.kernel && s.kernel.execution_state === 'dead') throw new Failure('the kernel died while starting; see ' + server.logFile);
      const d = await dialogText(page);
      if (d) throw new Failure(`a dialog appeared: ${d}`);
      if (Date.now() - tk > KERNEL_TIMEOUT * 1000) {
        throw new Silent(
          `no idle ${KERNEL_DISPLAY_NAME} kernel after ${KERNEL_TIMEOUT} s (toolbar kernel: ${view && view.kernelName}, ` +
            `session: ${s ? `${s.kernel.name} ${s.kernel.execution_state}` : 'none'}) (E2E_KERNEL_TIMEOUT)\n` +
            describeProcesses(server.liveKernelPids()),
        );
      }
      await sleep(500);
    }
    result.t.kernel = Date.now() - tk;

    // 3. Run > Run All Cells, then wait until the kernel is idle and no cell is queued.
    step = 'Run > Run All Cells';
    const tr = Date.now();
    await menu(page, 'Run', /^Run All Cells$/);
    step = 'wait for Run All Cells to finish';
    let idleStreak = 0;
    let lastProgress = Date.now();
    // Silence: no new cell count, no new output and no CPU in the kernel's processes.
    let activity = null;
    let activeAt = Date.now();
    let view;
    for (;;) {
      await sleep(1000);
      view = await page.evaluate(readCells);
      const s = await sessionOf(server, file);
      server.noteKernelPids();
      const state = s && s.kernel ? s.kernel.execution_state : 'none';
      const code = view.cells.filter((c) => c.type === 'code');
      const done = code.filter((c) => /^\[\d+\]/.test(c.prompt.trim())).length;
      const queued = code.some((c) => c.prompt.trim().startsWith('[*]'));
      const pids = server.liveKernelPids();
      const cpu = treeCpuSeconds(pids);
      const outputs = code.reduce((n, c) => n + c.outputs.reduce((m, o) => m + o.text.length + 1, 0), 0);
      if (!activity || done !== activity.done || outputs !== activity.outputs || (cpu !== null && cpu - activity.cpu > 0.05)) {
        activity = { done, outputs, cpu };
        activeAt = Date.now();
      }
      const quiet = (Date.now() - activeAt) / 1000;
      if (queued && quiet > (cpu === null ? 3 : 1) * SILENCE_TIMEOUT) {
        const running = code.findIndex((c) => c.prompt.trim().startsWith('[*]'));
        throw new Silent(
          `the kernel went silent: no new output, no finished cell and no CPU time for ${quiet.toFixed(0)} s ` +
            `(E2E_SILENCE_TIMEOUT) with ${done} of ${code.length} code cells run` +
            (running >= 0 ? `, cell ${codeIdx[running] + 1} waiting` : '') +
            ` (kernel ${state})\n${describeProcesses(pids)}`,
        );
      }
      if (state === 'dead') throw new Failure(`the kernel died after ${done} of ${code.length} code cells; see ${server.logFile}`);
      const d = await dialogText(page);
      if (d) throw new Failure(`a dialog appeared after ${done} of ${code.length} code cells: ${d}`);
      if (!queued && state === 'idle' && view.status !== 'busy') {
        // All ran, or Run All stopped at an error (the rest stay [ ]): idle for 3 polls in a row.
        if (done === code.length || ++idleStreak >= 3) break;
      } else idleStreak = 0;
      if (Date.now() - tr > NOTEBOOK_TIMEOUT * 1000) {
        const running = code.findIndex((c) => c.prompt.trim().startsWith('[*]'));
        throw new Failure(
          `Run All did not finish in ${NOTEBOOK_TIMEOUT} s (E2E_NOTEBOOK_TIMEOUT): ${done} of ${code.length} code cells ran` +
            (running >= 0 ? `, cell ${codeIdx[running] + 1} still running` : ''),
        );
      }
      if (Date.now() - lastProgress > 30000) {
        log(`    ... ${name}: ${done}/${code.length} code cells after ${fmt(Date.now() - tr)} (kernel ${state})`);
        lastProgress = Date.now();
      }
    }
    result.t.run = Date.now() - tr;

    // 4. Check what the learner sees.
    step = 'check the outputs';
    result.problems.push(...checkView(name, nb, view));

    // 4b. Every replay plays: two screenshots of it, REPLAY_GAP_MS apart, differ.
    step = 'check that the replays play';
    const replayCells = expectedReplays(name, nb);
    if (replayCells.length) {
      const r = await checkNotebookReplays(page, nb, replayCells);
      result.problems.push(...r.problems);
      for (const m of r.measured) {
        log(`    replay in cell ${m.cell + 1}: ${m.changed} of ${m.total} pixels (${m.width}×${m.height}) changed in ${REPLAY_GAP_MS} ms`);
      }
    }
  } catch (e) {
    result.silent = e instanceof Silent;
    result.problems.push(problem(result.silent ? 'silent-kernel' : 'e2e', `${step}: ${e instanceof Failure ? e.message : e.stack || e}`));
  }

  // 5. Screenshot of the whole notebook, also of a failed one.
  try {
    await screenshot(page, result.screenshot);
  } catch (e) {
    result.problems.push(problem('e2e', `screenshot: ${e.message}`));
    result.screenshot = null;
  }

  // 6. File > Close and Shut Down Notebook; the REST API makes sure no kernel is left.
  const tc = Date.now();
  try {
    await closeAndShutDown(page, server, file);
  } catch (e) {
    log(`    note: closing ${file} through the UI failed (${e.message.split('\n')[0]}); shutting its kernel down through the REST API`);
  }
  if (!(await server.shutdownKernels())) result.problems.push(problem('e2e', 'a kernel was still running after the notebook was closed'));
  result.t.close = Date.now() - tc;
  result.t.total = Date.now() - t0;
  result.ok = result.problems.length === 0;
  return result;
}

function checkView(name, nb, view) {
  const problems = [];
  if (view.kernelName !== KERNEL_DISPLAY_NAME) {
    problems.push(problem('kernel', `the toolbar shows kernel ${JSON.stringify(view.kernelName)}, expected ${KERNEL_DISPLAY_NAME}`));
  }
  if (view.cells.length !== nb.cells.length) {
    problems.push(problem('e2e', `JupyterLab shows ${view.cells.length} cells, the notebook file has ${nb.cells.length}`));
    return problems;
  }
  const expected = expectedPlots(name, nb);
  const notRun = [];
  let anySvg = false;
  view.cells.forEach((cell, i) => {
    if (cell.type !== 'code') return;
    const source = cellSource(nb.cells[i]);
    const prompt = cell.prompt.trim();
    if (!/^\[\d+\]/.test(prompt)) notRun.push(`${i + 1} ${prompt || '(no prompt)'}`);
    const svg = cell.outputs.some((o) => o.svg);
    anySvg = anySvg || svg;
    const stderr = cell.outputs.filter((o) => o.mime === STDERR_MIME).map((o) => o.text).join('\n');
    const all = cell.outputs.map((o) => o.text).join('\n');
    if (all.includes(PANIC_MARKER)) problems.push(problem('panic', all, i, source));
    else if (ERROR_TEXT.test(stderr)) problems.push(problem('error', stderr, i, source));
    const figureText = cell.outputs.find((o) => !o.svg && o.text.trimStart().startsWith('Figure {'));
    if (expected.has(i) && !svg) {
      problems.push(
        problem(
          'unrendered-plot',
          `no <svg> in the cell's output area, expected one because ${expected.get(i)}; the output shows:\n` +
            (all.trim() || '(nothing)'),
          i,
          source,
        ),
      );
    } else if (figureText) {
      problems.push(problem('unrendered-plot', `a Figure shown as text, not as SVG:\n${figureText.text}`, i, source));
    }
  });
  if (notRun.length) {
    problems.push(problem('not-run', `code cells without an execution count after Run All Cells (cell prompt):\n${notRun.join('\n')}`));
  }
  if (!anySvg && !problems.some((p) => p.kind === 'unrendered-plot')) {
    problems.push(problem('no-plot', 'no output shows an <svg> plot; every notebook must show at least one'));
  }
  return problems;
}

async function screenshot(page, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const vp = page.viewportSize();
  // JupyterLab scrolls the notebook inside its own panel (Run All leaves it at the
  // bottom): scroll it to the top and grow the window until the whole notebook fits.
  const toTop = () => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const scroller = panel && (panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook'));
    if (!scroller) return 0;
    scroller.scrollTop = 0;
    return scroller.scrollHeight - scroller.clientHeight;
  };
  const extra = await page.evaluate(toTop);
  if (extra > 0) {
    await page.setViewportSize({ width: vp.width, height: Math.min(vp.height + extra + 40, 30000) });
    await sleep(700);
    await page.evaluate(toTop);
    await sleep(300);
  }
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 60000 });
  } finally {
    await page.setViewportSize(vp);
  }
}

async function closeAndShutDown(page, server, file) {
  if ((await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)').count()) === 0) return;
  await menu(page, 'File', /^Close and Shut Down( Notebook)?(…|\.\.\.)?$/);
  // "Shut down notebook?" -> Shut Down; should JupyterLab ask to save: Discard (never write the notebook).
  let open, s;
  for (let i = 0; i < 40; i++) {
    const dialog = page.locator('.jp-Dialog');
    if ((await dialog.count()) > 0) {
      const buttons = dialog.first().locator('.jp-Dialog-button');
      const labels = (await buttons.allInnerTexts()).map((t) => t.trim());
      const pick = labels.findIndex((l) => /^(Discard|Don.t Save|Close without saving)$/i.test(l));
      const accept = labels.findIndex((l) => /^(Shut Down|Close|OK)$/i.test(l));
      const choice = pick >= 0 ? pick : accept;
      if (choice < 0) throw new Error(`unexpected dialog: ${labels.join(' | ')}`);
      await buttons.nth(choice).click();
      await sleep(300);
      continue;
    }
    open = await page.locator('.jp-NotebookPanel').count();
    s = await sessionOf(server, file);
    if (open === 0 && !s) return;
    await sleep(250);
  }
  throw new Error(`the notebook did not close within 10 s (${open} notebook panel(s) open, session ${s ? s.path : 'none'})`);
}

// ---------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  const selftest = args.includes('--selftest');
  const site = args.includes('--site');
  const names = discover(args.filter((a) => !a.startsWith('--')));
  const results = [];
  let selftestResults = [];
  const siteResults = [];
  if (selftest) selftestResults = await require('./selftest').runSelftest();
  if (!names.length) throw new Failure(`no notebooks in ${NB_DIR}`);
  if (!fs.existsSync(CHROMIUM)) throw new Failure(`${CHROMIUM} does not exist; run \`make chromium\` (apt-get install chromium) or set CHROMIUM`);
  fs.mkdirSync(OUT_DIR, { recursive: true });

  const server = new JupyterServer({ jupyter: JUPYTER, rootDir: NB_DIR, logFile: path.join(OUT_DIR, 'jupyter.log') });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-e2e-chromium-'));
  let context = null;
  const cleanupSync = () => {
    server.killLeftovers();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      log(`\n${sig}: stopping the browser and JupyterLab`);
      Promise.resolve()
        .then(() => context && context.close())
        .catch(() => {})
        .then(() => server.stop())
        .finally(() => process.exit(130));
    });
  }

  const tStart = Date.now();
  try {
    log(`e2e: JupyterLab on ${path.relative(REPO, NB_DIR) || '.'} (${names.length} notebook(s)), browser ${CHROMIUM}`);
    const ts = Date.now();
    await server.start();
    log(`e2e: JupyterLab answered on ${server.base} after ${fmt(Date.now() - ts)} (log: ${path.relative(REPO, server.logFile)})`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: env.E2E_HEADED !== '1',
      args: env.E2E_HEADED === '1' ? CHROMIUM_ARGS.filter((a) => a !== '--headless') : CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(60000);
    if (site) {
      log(`--- the pages of ${path.relative(REPO, SITE_DIR)}/ offline (make html)`);
      for (const r of await checkSite(context, SITE_DIR, OUT_DIR, log)) {
        siteResults.push(r);
        log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}: ${fmt(r.t.total || 0)}`);
        for (const p of r.problems) log(renderProblem(p, 0));
      }
    }
    for (const name of names) {
      log(`--- ${name}`);
      const r = await runNotebook(page, server, name);
      results.push(r);
      const t = r.t;
      const parts = [`open ${fmt(t.open || 0)}`, `kernel ${fmt(t.kernel || 0)}`, `run all ${fmt(t.run || 0)}`, `total ${fmt(t.total)}`];
      const notes = r.notes ? ` (${r.notes.join('; ')})` : '';
      log(`${r.ok ? 'PASS' : 'FAIL'} ${name}: ${parts.join(', ')}${r.screenshot ? `; screenshot ${path.relative(REPO, r.screenshot)}` : ''}${notes}`);
      if (!r.ok) {
        const n = JSON.parse(fs.readFileSync(path.join(NB_DIR, `${name}.ipynb`), 'utf8')).cells.length;
        log(`${name}: ${r.problems.length} problem(s): ${r.problems.map((p) => (p.index === null ? p.kind : `${p.kind} in cell ${p.index + 1}`)).join(', ')}`);
        for (const p of r.problems) log(renderProblem(p, n));
      }
    }
  } finally {
    if (context) await context.close().catch(() => {});
    await server.stop();
  }

  // Timings table, then the closing summary line.
  const width = Math.max('notebook'.length, ...results.map((r) => r.name.length));
  log('');
  log(`${'notebook'.padEnd(width)}  ${'open'.padStart(6)}  ${'kernel'.padStart(6)}  ${'run all'.padStart(7)}  ${'total'.padStart(6)}  result`);
  for (const r of results) {
    const s = (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
    const result = (r.ok ? 'ok' : 'FAILED') + (r.notes ? ', kernel restarted once' : '');
    log(`${r.name.padEnd(width)}  ${s(r.t.open).padStart(6)}  ${s(r.t.kernel).padStart(6)}  ${s(r.t.run).padStart(7)}  ${s(r.t.total).padStart(6)}  ${result}`);
  }
  log(`${'(all, with server start)'.padEnd(width)}  ${''.padStart(6)}  ${''.padStart(6)}  ${''.padStart(7)}  ${((Date.now() - tStart) / 1000).toFixed(1).padStart(6)}`);
  const failedNb = results.filter((r) => !r.ok).map((r) => r.name);
  const failedSt = [...selftestResults.filter((r) => !r.ok).map((r) => `selftest:${r.name}`), ...siteResults.filter((r) => !r.ok).map((r) => r.name)];
  if (selftest) log(`(the count includes ${selftestResults.length} self-test case(s), see above)`);
  if (site) log(`(the count includes ${siteResults.length} page(s) of the site, see above)`);
  if (failedNb.length || failedSt.length) log(`e2e FAILED: ${[...failedNb, ...failedSt].join(', ')}`);
  const all = [...results, ...selftestResults, ...siteResults];
  log(`e2e: ${all.filter((r) => r.ok).length} passed, ${all.filter((r) => !r.ok).length} failed`);
  return all.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.log(`e2e: error: ${e instanceof Failure || e instanceof ServerError ? e.message : e.stack || e}`);
      console.log('e2e: 0 passed, 1 failed');
      process.exit(1);
    },
  );
}

module.exports = { endsInPlotCall };
