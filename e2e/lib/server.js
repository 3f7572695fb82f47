'use strict';
// Start and stop a throwaway JupyterLab server for the browser tests.
//
// The server runs in its own process group (detached), on a free loopback
// port, with a random token, and with throwaway settings/workspaces/runtime
// folders, so nothing of a developer's own JupyterLab (open tabs, settings,
// autosave) leaks in or out. stop() shuts its kernels down through the REST
// API, then ends the server's process group and, as a last resort, the
// process groups of any kernel it left behind (jupyter_client starts each
// kernel in a session of its own, so killing the server's group alone would
// orphan them, and every evcxr kernel holds a build slot).

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** An error whose message says it all (no stack trace needed). */
class ServerError extends Error {}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
}

/** JupyterLab user settings for a headless run (written to a throwaway folder). */
function writeSettings(dir) {
  // Every cell in the DOM (no virtual scrolling), so every prompt and output can
  // be checked and the screenshot shows the whole notebook.
  writeJson(path.join(dir, '@jupyterlab/notebook-extension/tracker.jupyterlab-settings'), {
    windowingMode: 'none',
  });
  // Never write outputs back into the committed notebooks.
  writeJson(path.join(dir, '@jupyterlab/docmanager-extension/plugin.jupyterlab-settings'), {
    autosave: false,
  });
  // No news/update toasts over the notebook (and no requests to the internet).
  writeJson(path.join(dir, '@jupyterlab/apputils-extension/notification.jupyterlab-settings'), {
    fetchNews: 'false',
    checkForUpdates: false,
    doNotDisturbMode: true,
  });
}

/** Child pids of `pid` (Linux /proc; [] elsewhere). */
function childPids(pid) {
  const out = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may contain spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** pid and every process below it (Linux /proc). */
function descendants(pid) {
  const out = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    out.push(p);
    todo.push(...childPids(p));
  }
  return out;
}

/** Fields of /proc/PID/stat after the command name, or null. */
function statFields(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds used by these processes and everything below them (reaped children included); null without /proc. */
function treeCpuSeconds(pids) {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const root of pids) {
    for (const p of descendants(root)) {
      const f = statFields(p);
      if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
  }
  return ticks / CLOCK_TICKS;
}

/** What a kernel's processes are doing (state, kernel wait channel, CPU, command), for a silent kernel. */
function describeProcesses(pids) {
  const read = (f) => {
    try {
      return fs.readFileSync(f, 'utf8').replace(/\0/g, ' ').trim().slice(0, 160);
    } catch {
      return '?';
    }
  };
  const lines = [];
  for (const root of pids) {
    for (const p of descendants(root)) {
      const f = statFields(p);
      if (!f) continue;
      const cpu = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
      lines.push(`  ${p} ppid ${f[1]} ${f[0]} wchan=${read(`/proc/${p}/wchan`) || '-'} cpu=${cpu.toFixed(1)}s ${read(`/proc/${p}/cmdline`)}`);
    }
  }
  return lines.length ? `the kernel's processes:\n${lines.join('\n')}` : '(no kernel process found)';
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Still one of our kernels (not a reused pid)? It leads its own group and runs evcxr. */
function isKernel(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return pgid === pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('evcxr');
  } catch {
    return false;
  }
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

class JupyterServer {
  /**
   * @param {object} o
   * @param {string} o.jupyter   path to the venv's `jupyter`
   * @param {string} o.rootDir   the server's notebook dir
   * @param {string} o.logFile   server output goes here
   */
  constructor(o) {
    this.jupyter = o.jupyter;
    this.rootDir = o.rootDir;
    this.logFile = o.logFile;
    this.token = crypto.randomBytes(24).toString('hex');
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-e2e-lab-'));
    this.proc = null;
    this.kernelPids = new Set();
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async api(method, route, { timeoutMs = 15000 } = {}) {
    const res = await fetch(this.base + route, {
      method,
      headers: { Authorization: `token ${this.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status}`);
    return res.status === 204 ? null : res.json();
  }

  async start({ timeoutMs = 120000 } = {}) {
    if (!fs.existsSync(this.jupyter)) {
      throw new ServerError(`${this.jupyter} does not exist; run \`make venv\` (or \`make e2e\`, which installs it)`);
    }
    const settings = path.join(this.tmp, 'user-settings');
    writeSettings(settings);
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      const args = [
        'lab',
        '--no-browser',
        `--ServerApp.ip=127.0.0.1`,
        `--ServerApp.port=${this.port}`,
        '--ServerApp.port_retries=0',
        `--ServerApp.root_dir=${this.rootDir}`,
        `--LabApp.user_settings_dir=${settings}`,
        `--LabApp.workspaces_dir=${path.join(this.tmp, 'workspaces')}`,
        '--LabApp.news_url=None',
        '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
        '--NotebookNotary.db_file=:memory:',
        // Opening a notebook makes a checkpoint copy: keep it out of the notebook folder.
        `--FileCheckpoints.checkpoint_dir=${path.join(this.tmp, 'checkpoints')}`,
      ];
      if (process.getuid && process.getuid() === 0) args.push('--allow-root');
      const log = fs.openSync(this.logFile, attempt === 1 ? 'w' : 'a');
      this.proc = spawn(this.jupyter, args, {
        cwd: this.rootDir,
        detached: true, // own process group: stop() ends it as a whole
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          JUPYTER_TOKEN: this.token,
          JUPYTER_PREFER_ENV_PATH: '1', // the `rust` kernel registered inside .venv
          JUPYTER_CONFIG_DIR: path.join(this.tmp, 'config'), // no user jupyter_server_config
          JUPYTER_RUNTIME_DIR: path.join(this.tmp, 'runtime'),
        },
      });
      fs.closeSync(log);
      let exited = null;
      this.proc.on('exit', (code, sig) => {
        exited = sig || code;
        this.exited = true;
      });
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && exited === null) {
        try {
          await this.api('GET', '/api/status', { timeoutMs: 2000 });
          return;
        } catch {
          await sleep(300);
        }
      }
      const tail = this.logTail();
      if (exited !== null && attempt < 3 && /address already in use/i.test(tail)) continue; // lost the port race
      await this.stop();
      throw new ServerError(
        exited !== null
          ? `JupyterLab exited (${exited}) before it answered; its log ${this.logFile} ends with:\n${tail}`
          : `JupyterLab did not answer on ${this.base} within ${timeoutMs / 1000} s; its log ${this.logFile} ends with:\n${tail}`,
      );
    }
  }

  logTail(n = 25) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The live kernel processes of this server. */
  liveKernelPids() {
    this.noteKernelPids();
    return [...this.kernelPids].filter(isKernel);
  }

  /** Remember the server's kernel processes, so stop() can end them whatever happens. */
  noteKernelPids() {
    if (!this.proc || this.exited) return;
    for (const pid of childPids(this.proc.pid)) this.kernelPids.add(pid);
  }

  async sessions() {
    return this.api('GET', '/api/sessions');
  }

  /** Shut down every kernel through the REST API; true when none is left. */
  async shutdownKernels({ timeoutMs = 30000 } = {}) {
    this.noteKernelPids();
    try {
      for (const s of await this.sessions()) await this.api('DELETE', `/api/sessions/${s.id}`).catch(() => {});
      for (const k of await this.api('GET', '/api/kernels')) await this.api('DELETE', `/api/kernels/${k.id}`).catch(() => {});
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await this.api('GET', '/api/kernels')).length === 0) return true;
        await sleep(500);
      }
    } catch {
      /* server gone */
    }
    return false;
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.proc && !this.exited) {
      await this.shutdownKernels({ timeoutMs: 15000 });
      this.noteKernelPids();
      killGroup(this.proc.pid, 'SIGTERM');
      for (let i = 0; i < 50 && alive(this.proc.pid); i++) await sleep(200);
      killGroup(this.proc.pid, 'SIGKILL');
    }
    this.killLeftovers();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  /** Synchronous last resort (also used from process.on('exit')). */
  killLeftovers() {
    if (this.proc && !this.exited) killGroup(this.proc.pid, 'SIGKILL');
    for (const pid of this.kernelPids) if (isKernel(pid)) killGroup(pid, 'SIGKILL');
  }
}

module.exports = { JupyterServer, ServerError, freePort, sleep, treeCpuSeconds, describeProcesses };
