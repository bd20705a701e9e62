// SPDX-License-Identifier: MIT
// A real gasperd for the browser tests, started as tests/integration/Harness.h does:
// free loopback ports, its own data folder, a node name of its own (so it never touches
// another gasperd's containers on the shared Docker engine), metrics every second.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, cpSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startGasperd(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'gasper-web-'));
  const api = await freePort();
  const proxy = await freePort();
  const ssh = await freePort();  // never the default 2222: another gasperd may hold it
  const node = `web-${process.pid}-${api}`;
  const config = join(dir, 'gasper.toml');
  writeFileSync(config, `[apps]\nmetrics_interval_s = 1\n[node]\nname = "${node}"\n`);
  const base = `http://127.0.0.1:${api}`;
  let child = null;
  let log = '';
  async function launch() {
    child = spawn(binary, ['--config', config, '--data-dir', join(dir, 'data'),
      '--api', `127.0.0.1:${api}`, '--proxy', `127.0.0.1:${proxy}`, '--ssh', `127.0.0.1:${ssh}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; if (process.env.GASPER_TEST_VERBOSE) process.stderr.write(d); });
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.ok) return;
      } catch { /* not yet */ }
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gasperd did not become healthy:\n${log}`);
      await sleep(50);
    }
  }
  async function terminate() {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  await launch();
  return {
    base, api, proxy, ssh, node, dir, get log() { return log; },
    // Stops gasperd and starts it again on the same folder and ports (containers keep running).
    async restart(pauseMs = 0) {
      await terminate();
      await sleep(pauseMs);
      await launch();
    },
    async pause() { await terminate(); },
    async resume() { await launch(); },
    async stop() {
      await terminate();
      rmSync(dir, { recursive: true, force: true });
      // Its users' networks outlive gasperd by design (they go 10 s after a user's last app,
      // which a suite ending at once never waits for); on a shared engine they would pile up.
      try {
        const ids = execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=gasper.node=${node}`]).toString().split('\n').filter(Boolean);
        if (ids.length) execFileSync('docker', ['network', 'rm', ...ids], { stdio: 'ignore' });
      } catch { /* best effort */ }
    },
  };
}

// tests/fixtures/python as a local git repository (file:// URLs are for admins; the
// first user is admin).
export function fixtureRepo(sourceDir) {
  const dir = mkdtempSync(join(tmpdir(), 'gasper-web-repo-'));
  cpSync(sourceDir, dir, { recursive: true });
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '-qm', 'fixture');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function chromiumPath() {
  // Debian's /usr/bin/chromium is a shell wrapper; the browser itself is next to its libs.
  for (const p of [process.env.GASPER_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (p && existsSync(p)) return p;
  throw new Error('chromium is not installed (apt-get install chromium)');
}

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
