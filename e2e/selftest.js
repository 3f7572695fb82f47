#!/usr/bin/env node
'use strict';
/*
Self-test of the e2e driver (run.js): it must pass a good notebook and fail,
with a clear message, on a notebook whose cell panics and on one whose plot
comes out as text. The fixtures are e2e/fixtures/notebooks/*.ipynb (their
`:dep nnlib = { path = "../../../nnlib" }` is the workshop's own crate).

usage: node e2e/selftest.js          (`make e2e-selftest`; `make e2e` runs it first)

Each case is one run of `node e2e/run.js NAME` with E2E_NOTEBOOK_DIR pointing
at the fixtures (a JupyterLab server and a kernel start each, ~20-40 s).
Screenshots and logs go to target/e2e/selftest/<case>/. The last line of
output is `e2e selftest: N passed, M failed`.
*/

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

const CASES = [
  {
    name: 'good',
    why: 'a notebook that runs clean and shows its plot',
    status: 0,
    expect: [/^PASS good:/m, /^e2e: 1 passed, 0 failed$/m],
  },
  {
    name: 'panic',
    why: 'a cell that panics (evcxr prints the panic on stderr; the cell itself gets a count)',
    status: 1,
    expect: [/^FAIL panic:/m, /^\[panic\] cell 4 of 5/m, /panicked at/, /boom/, /^e2e: 0 passed, 1 failed$/m],
  },
  {
    name: 'unrendered_plot',
    why: 'a plot:: cell whose Figure is shown as Debug text instead of an SVG',
    status: 1,
    expect: [/^FAIL unrendered_plot:/m, /^\[unrendered-plot\] cell 4 of 4/m, /Figure \{ title: "loss"/, /^e2e: 0 passed, 1 failed$/m],
  },
  {
    name: 'frozen_replay',
    why: 'a replay (an SVG with <animate>, cell metadata nnlib.replay) whose frames are all the same picture',
    status: 1,
    expect: [/^FAIL frozen_replay:/m, /^\[replay\] cell 3 of 3/m, /does not play: two screenshots 1500 ms apart differ in 0 of/, /^e2e: 0 passed, 1 failed$/m],
  },
];

function runCase(c) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [path.join(__dirname, 'run.js'), c.name], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        E2E_NOTEBOOK_DIR: path.join('e2e', 'fixtures', 'notebooks'),
        E2E_EXPECT_DIR: '', // no executed copies: the plot rule comes from the source
        E2E_OUT_DIR: path.join('target', 'e2e', 'selftest', c.name),
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      const problems = [];
      if (signal) problems.push(`the driver was killed by ${signal}`);
      else if (code !== c.status) problems.push(`the driver exited ${code}, expected ${c.status}`);
      for (const re of c.expect) if (!re.test(out)) problems.push(`its output does not match ${re}`);
      resolve({ name: c.name, ok: problems.length === 0, seconds: (Date.now() - t0) / 1000, code, problems, out });
    });
  });
}

/** The site check must fail a page that needs the network for its maths. */
async function siteCase() {
  const { chromium } = require('playwright-core');
  const { checkSite } = require('./lib/site');
  const t0 = Date.now();
  const problems = [];
  let out = '';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
  try {
    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-e2e-site-'));
    const [r] = await checkSite(await browser.newContext(), path.join(__dirname, 'fixtures', 'site_cdn'), shots, () => {});
    fs.rmSync(shots, { recursive: true, force: true });
    out = r.problems.map((p) => `[${p.kind}] ${p.message}`).join('\n');
    if (r.ok) problems.push('the site check passed a page whose MathJax comes from a CDN');
    for (const re of [/^\[network\] .*cdnjs/m, /^\[math\] the page has maths but no typeset equation/m, /^\[math\] TeX source shown as text/m]) {
      if (!re.test(out)) problems.push(`its report does not match ${re}`);
    }
  } finally {
    await browser.close();
  }
  return { name: 'site_cdn', ok: problems.length === 0, seconds: (Date.now() - t0) / 1000, code: null, problems, out };
}

async function runSelftest() {
  console.log(`e2e selftest: the driver against ${CASES.length} fixtures in e2e/fixtures/notebooks, and the site check against e2e/fixtures/site_cdn`);
  const results = [];
  const site = await siteCase();
  results.push(site);
  console.log(`${site.ok ? 'PASS' : 'FAIL'} selftest site_cdn (maths from a CDN, offline): ${site.seconds.toFixed(1)} s`);
  if (!site.ok) console.log(`    ${site.problems.join('\n    ')}\n    --- it reported:\n${site.out}`);
  for (const c of CASES) {
    const r = await runCase(c);
    results.push(r);
    const lastProblemLine = (r.out.match(/^\[(panic|unrendered-plot|replay|error|not-run|no-plot|e2e)\].*$/m) || [''])[0];
    console.log(
      `${r.ok ? 'PASS' : 'FAIL'} selftest ${c.name} (${c.why}): driver exit ${r.code}` +
        `${lastProblemLine ? `, reported "${lastProblemLine}"` : ''}, ${r.seconds.toFixed(1)} s`,
    );
    if (!r.ok) {
      for (const p of r.problems) console.log(`    ${p}`);
      console.log('    --- the driver printed:');
      console.log(r.out.trimEnd().split('\n').map((l) => '    | ' + l).join('\n'));
    }
  }
  return results;
}

if (require.main === module) {
  runSelftest().then(
    (results) => {
      const failed = results.filter((r) => !r.ok).length;
      console.log(`e2e selftest: ${results.length - failed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
    (e) => {
      console.error(e.stack || e);
      process.exit(1);
    },
  );
}

module.exports = { runSelftest, siteCase, CASES };
