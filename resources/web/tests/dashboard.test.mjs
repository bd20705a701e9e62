// SPDX-License-Identifier: MIT
// The dashboard in a real browser: playwright-core driving Debian's Chromium headless
// against a real gasperd and the real Docker engine. Run by ctest (label web):
//   GASPERD=build/bin/gasperd GASPER_FIXTURES=tests/fixtures node --test resources/web/tests/
// GASPER_WEB_SCREENSHOTS=DIR also saves the main screens (light, dark, phone) there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startGasperd, fixtureRepo, chromiumPath, chromiumArgs, sleep } from './harness.mjs';

const binary = resolve(process.env.GASPERD || 'build/bin/gasperd');
const fixtures = resolve(process.env.GASPER_FIXTURES || 'tests/fixtures');
const shots = process.env.GASPER_WEB_SCREENSHOTS ? resolve(process.env.GASPER_WEB_SCREENSHOTS) : null;
const suffix = `${process.pid % 10000}`;
const appName = `web-${suffix}`;
const badApp = `webbad-${suffix}`;

let gasperd;
let repo;
let context;
let page;
const consoleErrors = [];
const foreignRequests = [];
// Answers that are right and that Chromium still logs as console errors (it logs every
// 4xx of fetch()): the errors this test provokes, and deploy output that a restarted
// gasperd no longer has (404 from …/deploys/N/log, which the page says in words).
const expectedAnswers = [{ status: 404, url: /\/api\/v1\/apps\/[^/]+\/deploys\/\d+\/log$/ }];
const expectAnswer = (status, url) => expectedAnswers.push({ status, url });
let networkErrorsExpected = false;

async function api(method, path, body, token) {
  const r = await fetch(`${gasperd.base}/api/v1${path}`, {
    method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

// A request through the proxy (node's fetch may not set Host).
function viaProxy(app, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: gasperd.proxy, path, headers: { Host: `${app}.localhost` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

function viaProxyBody(app, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: gasperd.proxy, path, headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const token = () => page.evaluate(() => sessionStorage.getItem('gasper.token'));

async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

async function axe(label) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), []);
}

async function noHorizontalScroll(label) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${label}: page is ${scroll}px wide in a ${client}px viewport`);
}

function state() { return page.locator('h1 .badge').getAttribute('data-state'); }

async function waitState(want, timeout = 60000) {
  await page.locator(`h1 .badge[data-state="${want}"]`).waitFor({ timeout });
}

before(async () => {
  gasperd = await startGasperd(binary);
  repo = fixtureRepo(join(fixtures, 'python'));
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gasper-chromium-')), {
    executablePath: chromiumPath(), headless: true, args: chromiumArgs,
    viewport: { width: 1280, height: 800 }, colorScheme: 'light',
  });
  // Chromium reports CSP violations in the console too; this also catches report-only ones.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  page = context.pages()[0] || await context.newPage();
  const origin = new URL(gasperd.base).origin;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    const status = Number(/status of (\d+)/.exec(text)?.[1]);
    const url = m.location()?.url || '';
    if (status && expectedAnswers.some((a) => a.status === status && a.url.test(url))) return;
    if (networkErrorsExpected && /WebSocket connection to|net::ERR_/.test(text)) return;
    consoleErrors.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: uncaught ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin && !u.hostname.endsWith('.localhost') && u.protocol !== 'blob:' && u.protocol !== 'data:') foreignRequests.push(r.url());
  });
});

after(async () => {
  try {
    const t = page ? await token().catch(() => null) : null;
    if (t) for (const n of [appName, badApp]) await api('DELETE', `/apps/${n}`, undefined, t).catch(() => {});
  } finally {
    await context?.close();
    await gasperd?.stop();
    repo?.remove();
  }
});

test('the dashboard', { timeout: 600000 }, async (t) => {
  await t.test('/ serves the page with a strict CSP, assets under hashed names', async () => {
    const r = await fetch(`${gasperd.base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /style-src 'self' 'nonce-[\w-]+';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await r.text();
    const js = /src="(\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    assert.ok(js, 'index.html names the script by its hash');
    const a = await fetch(`${gasperd.base}${js}`);
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type'), /^text\/javascript/);
    assert.match(a.headers.get('cache-control'), /immutable/);
    const route = await fetch(`${gasperd.base}/apps/some-app/logs`);
    assert.equal(route.status, 200, 'client-side routes get index.html');
    const apiMiss = await fetch(`${gasperd.base}/api/v1/nope`);
    assert.equal((await apiMiss.json()).error.code, 'route-not-found');
  });

  await t.test('register, reload keeps the session, log out, log in', async () => {
    await page.goto(`${gasperd.base}/`);
    await page.waitForURL(/\/login/);
    await shot('login');
    await axe('login');
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.getByLabel('Password').fill('change-me-now');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/apps$/);
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    assert.match(page.url(), /\/apps$/);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    assert.equal(await token(), null);
    expectAnswer(401, /\/api\/v1\/auth\/login$/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('.field[data-field="password"] .field-error').filter({ hasText: /./ }).waitFor();
    await page.getByLabel('Password').fill('change-me-now');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/apps$/);
    await page.locator('.live-live').waitFor();
  });

  await t.test('a form error shows next to its field', async () => {
    expectAnswer(400, /\/api\/v1\/apps$/);
    await page.getByRole('link', { name: 'New app' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Bad_Name');
    await page.getByLabel('Git URL').fill(`file://${repo.dir}`);
    await page.getByLabel('Run command').fill('python3 app.py');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    const err = page.locator('.field[data-field="name"] .field-error');
    await err.filter({ hasText: /./ }).waitFor();
    assert.equal(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Name', { exact: true }).fill(appName);
    // The run command may be left out (the Procfile's web: line); a bad health path may not.
    assert.match(await page.locator('.field[data-field="run"] .hint').textContent(), /Procfile/);
    await page.getByLabel('Health check path').fill('healthz');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    await page.locator('.field[data-field="health.path"] .field-error').filter({ hasText: /health\.path must be a URL path/ }).waitFor();
    assert.equal(await page.getByLabel('Health check path').getAttribute('aria-invalid'), 'true');
    await shot('create-error');
    await page.getByLabel('Health check path').fill('');
    await axe('create');
  });

  await t.test('create a python app through the form; the steps stream to running', async () => {
    await page.getByLabel('Run command').fill('python3 app.py');
    await page.getByLabel('Environment').fill('MESSAGE=from the dashboard\n');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    await page.waitForURL(new RegExp(`/apps/${appName}$`));
    await waitState('running');
    for (const step of ['clone', 'create', 'start', 'build', 'health'])
      await page.locator(`.steps li[data-step="${step}"] .badge[data-state="done"], .steps li[data-step="${step}"] .badge[data-state="skipped"]`).waitFor({ timeout: 10000 });
    const cloneMs = await page.locator('.steps li[data-step="clone"] .ms').textContent();
    assert.match(cloneMs, /\d+ (ms|s)/);
    assert.ok((await page.locator('.output .line').count()) > 0, 'the deploy output is shown');
    // The lines to paste for a shell and for files, with the host the page came from.
    await page.locator('.info dd code').filter({ hasText: `ssh -p ${gasperd.ssh} ${appName}@127.0.0.1` }).waitFor();
    await page.locator('.info dd code').filter({ hasText: `sftp -P ${gasperd.ssh} ${appName}@127.0.0.1` }).waitFor();
    await shot('app-overview');
    await axe('app overview');
  });

  await t.test('its URL answers through the proxy', async () => {
    const url = await page.locator('a.app-url').getAttribute('href');
    assert.match(url, new RegExp(`^http://${appName}\\.localhost:${gasperd.proxy}/$`));
    const other = await context.newPage();
    await other.goto(url);
    assert.match(await other.textContent('body'), /hello from python\s+from the dashboard/);
    await other.close();
  });

  await t.test('the apps list shows the app with its live state', async () => {
    await page.getByRole('link', { name: 'Apps', exact: true }).click();
    const row = page.locator(`tr[data-app="${appName}"]`);
    await row.locator('.badge[data-state="running"]').waitFor();
    await row.getByText(/#1 · succeeded/).waitFor();
    await page.getByLabel('Filter apps').fill('no-such-thing');
    assert.equal(await row.isVisible(), false);
    await page.getByLabel('Filter apps').fill('');
    await shot('apps');
    await axe('apps');
  });

  await t.test('follow-logs shows a new line within a second', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/logs`);
    await page.locator('.logview .line').filter({ hasText: 'listening on' }).waitFor({ timeout: 10000 });
    const marker = `/marker-${Date.now()}`;
    const started = Date.now();
    await viaProxy(appName, marker);
    await page.locator('.logview .line').filter({ hasText: marker }).waitFor({ timeout: 1000 });
    t.diagnostic(`log line shown ${Date.now() - started} ms after the request`);
    // The search runs on the server: only matching lines come back, the match marked.
    await page.getByLabel('Search the logs').fill('marker');
    await page.locator('.logview mark').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.logview .line')].every((l) => l.textContent.includes('marker')));
    assert.equal(await page.locator('.logview .line').filter({ hasText: 'listening on' }).count(), 0, 'a non-matching line is not shown');
    // Timestamps: the engine's time in front of each line.
    await page.getByLabel('Timestamps').check();
    await page.locator('.logview .line').filter({ hasText: /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z .*marker/ }).first().waitFor({ timeout: 5000 });
    await shot('logs-search');
    // The download is the same query, as a file.
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).click()]);
    assert.equal(file.suggestedFilename(), `${appName}.log`);
    await page.getByLabel('Timestamps').uncheck();
    await page.getByLabel('Search the logs').fill('');
    await page.locator('.logview .line').filter({ hasText: 'listening on' }).waitFor({ timeout: 5000 });
    await shot('logs');
    await axe('logs');
  });

  await t.test('the charts show the stored series, move live on app.metrics and switch range', async () => {
    let fetches = 0;
    const onRequest = (r) => { if (r.url().includes(`/apps/${appName}/metrics`)) fetches++; };
    page.on('request', onRequest);
    const points = () => page.evaluate(() => Number(document.querySelector('figure[data-chart="cpu"]')?.dataset.points || 0));
    await page.goto(`${gasperd.base}/apps/${appName}/metrics`);
    await page.waitForFunction(() => Number(document.querySelector('figure[data-chart="cpu"]')?.dataset.points || 0) >= 2, null, { timeout: 15000 });
    for (const id of ['cpu', 'memory', 'network', 'disk', 'restarts'])
      assert.ok(await page.locator(`figure[data-chart="${id}"] canvas`).count() > 0, `${id} chart drawn`);
    // Live: new points arrive over the events WebSocket, not by asking again.
    const before = await points();
    const fetched = fetches;
    await page.waitForFunction((n) => Number(document.querySelector('figure[data-chart="cpu"]').dataset.points) > n, before, { timeout: 20000 });
    assert.equal(fetches, fetched, 'the chart moved without polling');
    await shot('metrics');
    await axe('metrics');
    // The range picker asks for 24 h: minute averages, 4 min per point.
    await page.getByRole('button', { name: '24 h' }).click();
    await page.waitForFunction(() => document.querySelector('figure[data-chart="cpu"]')?.dataset.step === '240', null, { timeout: 10000 });
    assert.equal(await page.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed'), 'true');
    assert.equal(fetches, fetched + 1);
    await page.getByRole('button', { name: '1 h' }).click();
    await page.waitForFunction(() => document.querySelector('figure[data-chart="cpu"]')?.dataset.step === '10', null, { timeout: 10000 });
    page.off('request', onRequest);
  });

  await t.test('the terminal runs echo hi and follows the window size', async (st) => {
    await page.goto(`${gasperd.base}/apps/${appName}/terminal`);
    const box = page.locator('.term');
    await page.waitForFunction(() => ['open', 'closed'].includes(document.querySelector('.term')?.dataset.state), null, { timeout: 10000 });
    if (await box.getAttribute('data-state') !== 'open') {
      // Chromium logs the refused WebSocket itself; that is this skip's reason, not a fault.
      consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/WebSocket connection to .*\/terminal\?/.test(e)));
      st.skip('this gasperd has no terminal endpoint yet');
      return;
    }
    const screen = () => page.evaluate(() => {
      const b = document.querySelector('.term').terminal.buffer.active;
      const out = [];
      for (let i = 0; i < b.length; i++) out.push(b.getLine(i).translateToString(true));
      return out.join('\n');
    });
    await page.locator('.term .xterm').click();
    await page.keyboard.type('echo hi\r');
    await page.waitForFunction(() => {
      const b = document.querySelector('.term').terminal.buffer.active;
      for (let i = 0; i < b.length; i++) if (b.getLine(i).translateToString(true).trim() === 'hi') return true;
      return false;
    }, null, { timeout: 5000 });
    const size = async () => {
      const before = await screen();
      await page.keyboard.type('stty size\r');
      await page.waitForFunction((n) => {
        const b = document.querySelector('.term').terminal.buffer.active;
        let c = 0;
        for (let i = 0; i < b.length; i++) if (/^\d+ \d+$/.test(b.getLine(i).translateToString(true).trim())) c++;
        return c >= n;
      }, (before.match(/^\d+ \d+$/gm) || []).length + 1, { timeout: 5000 });
      const all = (await screen()).match(/^\d+ \d+$/gm);
      return all[all.length - 1];
    };
    const first = await size();
    const cols = await page.evaluate(() => document.querySelector('.term').terminal.cols);
    assert.ok(cols > 80, `the terminal fills its box (${cols} columns), not 80`);
    await shot('terminal');
    await page.setViewportSize({ width: 900, height: 600 });
    await sleep(300);
    const second = await size();
    assert.notEqual(second, first, 'stty size follows the window');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await t.test('rebuild, stop, start', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}`);
    await waitState('running');
    await page.getByRole('button', { name: 'Rebuild' }).click();
    await page.getByRole('heading', { name: /Deploy #2/ }).waitFor({ timeout: 10000 });
    await page.locator('.deploy .row .badge[data-state="succeeded"]').waitFor({ timeout: 60000 });
    await waitState('running');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitState('stopped', 30000);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitState('running', 30000);
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    await page.locator('tr[data-deploy="2"]').getByText(/clone \d/).waitFor();
    // Each deploy's own output, kept in the store.
    await page.locator('tr[data-deploy="1"]').getByRole('button', { name: 'Output', exact: true }).click();
    await page.locator('.log-row .output .line.system').first().waitFor({ timeout: 5000 });
    await shot('deploys');
    // The replaced deploy's app log, kept from its container.
    await page.goto(`${gasperd.base}/apps/${appName}/logs`);
    await page.locator('#logs-deploy option[value="1"]').waitFor({ state: 'attached' });
    await page.getByLabel('Deploy', { exact: true }).selectOption('1');
    await page.locator('.logview .line').filter({ hasText: 'marker' }).first().waitFor({ timeout: 10000 });
  });

  await t.test('the env editor: saving the .env view replaces the set and rebuilds', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/env`);
    await page.locator('.env-row input.env-key').first().waitFor();
    assert.equal(await page.locator('.env-row input.env-key').first().inputValue(), 'MESSAGE');
    await page.getByRole('button', { name: '.env text' }).click();
    await page.getByLabel('Environment as .env text').fill('MESSAGE="changed in the editor"\nOTHER=1\n');
    await shot('env');
    await page.getByRole('button', { name: 'Save and rebuild' }).click();
    await page.locator('.notice').filter({ hasText: /rebuilding/ }).waitFor();
    const t0 = await token();
    assert.deepEqual((await api('GET', `/apps/${appName}`, undefined, t0)).json.env, { MESSAGE: 'changed in the editor', OTHER: '1' });
    await page.getByRole('button', { name: 'Rows' }).click();
    assert.equal(await page.locator('.env-row').count(), 2);
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    await page.locator('tr[data-deploy="3"] .badge[data-state="succeeded"]').waitFor({ timeout: 60000 });
  });

  await t.test('the env editor: a secret value is write-only', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/env`);
    await page.getByRole('button', { name: 'Add variable' }).click();
    const row = page.locator('.env-row').last();
    await row.locator('input.env-key').fill('API_TOKEN');
    await row.locator('input.env-value').fill('s3cret-value');
    await row.getByLabel('API_TOKEN is secret').check();
    assert.equal(await row.locator('input.env-value').getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Save and rebuild' }).click();
    await page.locator('.notice').filter({ hasText: /rebuilding/ }).waitFor();
    const t0 = await token();
    const env = (await api('GET', `/apps/${appName}`, undefined, t0)).json.env;
    assert.deepEqual(env.API_TOKEN, { secret: true });
    assert.equal(env.MESSAGE, 'changed in the editor');
    const stored = page.locator('.env-row[data-key="API_TOKEN"]');
    assert.equal(await stored.locator('input.env-value').inputValue(), '');
    assert.match(await stored.locator('input.env-value').getAttribute('placeholder'), /secret/);
    assert.equal(await page.content().then((html) => html.includes('s3cret-value')), false, 'the value is not in the page');
    // The text view keeps the secret aside: saving it with a plain change leaves the secret.
    await page.getByRole('button', { name: '.env text' }).click();
    await page.locator('.env .hint').filter({ hasText: 'API_TOKEN' }).waitFor();
    await page.getByRole('button', { name: 'Rows' }).click();
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    await page.locator('tr[data-deploy="4"] .badge[data-state="succeeded"]').waitFor({ timeout: 60000 });
    assert.match(await viaProxyBody(appName, '/'), /changed in the editor/);
  });

  await t.test('push to deploy: secret hidden until revealed, a signed push rebuilds, a new secret asks first', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/hooks`);
    const url = page.getByLabel('Webhook URL', { exact: true });
    await page.waitForFunction(() => document.querySelector('#hook-url')?.value.includes('/api/v1/hooks/'));
    assert.equal(await url.inputValue(), `${gasperd.base}/api/v1/hooks/${appName}`);
    const secretField = page.locator('#hook-secret');
    assert.equal(await secretField.getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal(await secretField.getAttribute('type'), 'text');
    const secret = await secretField.inputValue();
    assert.match(secret, /^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Hide' }).click();
    assert.equal(await secretField.getAttribute('type'), 'password');
    for (const who of ['GitHub', 'GitLab', 'Gitea / Forgejo']) await page.locator('.provider-steps li').filter({ hasText: who }).waitFor();
    await axe('push to deploy');

    // GitHub's signature, made with node's crypto (gasperd checks it with libsodium).
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', repository: { default_branch: 'main' } });
    const push = (key) => fetch(`${gasperd.base}/api/v1/hooks/${appName}`, {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` },
    });
    const refused = await push('not the secret');
    assert.equal(refused.status, 403);
    const accepted = await push(secret);
    assert.equal(accepted.status, 202);
    const answer = await accepted.json();
    assert.equal(answer.outcome, 'deployed');
    await page.locator('.hook-deliveries tr[data-outcome="deployed"]').waitFor({ timeout: 10000 });
    await page.locator('.hook-deliveries tr[data-outcome="refused"]').waitFor();
    await shot('hooks');
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    await page.locator(`tr[data-deploy="${answer.deploy}"] .badge[data-state="succeeded"]`).waitFor({ timeout: 60000 });
    assert.equal(await page.locator(`tr[data-deploy="${answer.deploy}"] td[data-label="Trigger"]`).textContent(), 'webhook');

    await page.goto(`${gasperd.base}/apps/${appName}/hooks`);
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('#hook-secret')?.value || ''));
    await page.getByRole('button', { name: 'New secret…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await secretField.inputValue(), secret);
    await page.getByRole('button', { name: 'New secret…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Make a new secret' }).click();
    await page.waitForFunction((old) => { const v = document.querySelector('#hook-secret').value; return v && v !== old; }, secret);
    assert.equal((await push(secret)).status, 403, 'the old secret no longer works');

    await page.getByLabel('Poll the branch every').check();
    await page.getByLabel('seconds', { exact: true }).fill('60');
    await page.getByRole('button', { name: 'Save polling' }).click();
    await page.locator('.hook-poll .hint').filter({ hasText: 'Polling every 60 s' }).waitFor();
    assert.equal((await api('GET', `/apps/${appName}/hooks`, undefined, await token())).json.poll_seconds, 60);
    await page.getByLabel('Poll the branch every').uncheck();
    await page.getByRole('button', { name: 'Save polling' }).click();
    await page.locator('.hook-poll .hint').filter({ hasText: 'Polling is off' }).waitFor();
  });

  await t.test('roll back to an earlier deploy from the history, after a confirm', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    const first = page.locator('tr[data-deploy="1"]');
    await first.getByRole('button', { name: 'Roll back to deploy #1' }).click();
    await page.getByRole('dialog').getByText(/deployed again/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('dialog').count(), 0);
    const t0 = await token();
    const before = (await api('GET', `/apps/${appName}/deploys`, undefined, t0)).json.deploys.length;
    await first.getByRole('button', { name: 'Roll back to deploy #1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back to #1' }).click();
    await page.locator('.notice').filter({ hasText: /Rolling back to deploy #1/ }).waitFor();
    const row = page.locator('tr', { hasText: 'rollback to #1' });
    await row.locator('.badge[data-state="succeeded"]').waitFor({ timeout: 60000 });
    const deploys = (await api('GET', `/apps/${appName}/deploys`, undefined, t0)).json.deploys;
    assert.equal(deploys.length, before + 1);
    assert.equal(deploys[0].trigger, 'rollback');
    assert.equal(deploys[0].rollback_to, 1);
    assert.equal(deploys[0].commit, deploys.at(-1).commit);
    // The newest good deploy serves: it is not offered.
    assert.equal(await page.locator(`tr[data-deploy="${deploys[0].number}"] .rollback`).count(), 0);
    assert.match(await viaProxyBody(appName, '/'), /changed in the editor/);
    await shot('deploys-rollback');
    await axe('deploys');
  });

  await t.test('the health check is changed in the Deploys tab and redeploys', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}/deploys`);
    const t0 = await token();
    const before = (await api('GET', `/apps/${appName}/deploys`, undefined, t0)).json.deploys.length;
    await page.getByLabel('Path', { exact: true }).fill('/healthz');
    await page.getByLabel('Expected status').fill('200');
    await page.getByRole('button', { name: 'Save and redeploy' }).click();
    await page.locator('.notice').filter({ hasText: /Health check saved/ }).waitFor();
    await page.locator(`tr[data-deploy="${before + 1}"] .badge[data-state="succeeded"]`).waitFor({ timeout: 60000 });
    assert.deepEqual((await api('GET', `/apps/${appName}`, undefined, t0)).json.health, { path: '/healthz', status: 200, timeout: null });
    await page.goto(`${gasperd.base}/apps/${appName}`);
    await page.locator('.info dd').filter({ hasText: 'GET /healthz → 200' }).waitFor();
  });

  await t.test('a bad git URL shows the failure', async () => {
    await page.goto(`${gasperd.base}/apps/new`);
    await page.getByLabel('Name', { exact: true }).fill(badApp);
    await page.getByLabel('Git URL').fill(`file://${repo.dir}-missing`);
    await page.getByLabel('Run command').fill('python3 app.py');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    await page.waitForURL(new RegExp(`/apps/${badApp}$`));
    await waitState('failed', 30000);
    await page.locator('.deploy .problem').filter({ hasText: /Failed:/ }).waitFor({ timeout: 10000 });
    await shot('app-failed');
  });

  await t.test('admin sees the node and every app', async () => {
    await page.goto(`${gasperd.base}/admin`);
    await page.locator(`article.node[data-node="${gasperd.node}"]`).waitFor();
    await page.getByRole('link', { name: appName }).waitFor();
    await shot('admin');
    await axe('admin');
  });

  await t.test('dark scheme and a phone viewport: no horizontal scroll', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [path, name] of [['/apps', 'apps'], [`/apps/${appName}`, 'app-overview'], [`/apps/${appName}/metrics`, 'metrics'], [`/apps/${appName}/logs`, 'logs']]) {
      await page.goto(`${gasperd.base}${path}`);
      await page.locator('main h1').first().waitFor();
      await sleep(path.endsWith('metrics') ? 1500 : 300);
      await shot(`${name}-dark`);
    }
    await axe('app logs (dark)');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [['/apps', 'apps'], [`/apps/${appName}`, 'app'], ['/apps/new', 'create'], [`/apps/${appName}/logs`, 'logs'], [`/apps/${appName}/deploys`, 'deploys'], [`/apps/${appName}/hooks`, 'hooks'], ['/admin', 'admin']]) {
      await page.goto(`${gasperd.base}${path}`);
      await page.locator('main h1, main h2').first().waitFor();
      await sleep(300);
      await noHorizontalScroll(`phone ${path}`);
      if (name === 'apps' || name === 'app' || name === 'hooks') await shot(`phone-${name}-dark`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${gasperd.base}/apps/${appName}`);
    await page.locator('main h1').first().waitFor();
    await noHorizontalScroll('phone light app');
    await shot('phone-app');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await t.test('the event stream reconnects after gasperd restarts, and resyncs after the gap', async () => {
    await page.goto(`${gasperd.base}/apps`);
    const row = page.locator(`tr[data-app="${appName}"]`);
    await row.locator('.badge[data-state="running"]').waitFor();
    await page.locator('.live-live').waitFor();
    networkErrorsExpected = true;  // Chromium logs each refused reconnect itself
    try {
      await gasperd.pause();
      await page.locator('.live-reconnecting').waitFor({ timeout: 5000 });
      // Kept offline while gasperd is back, so the change below happens during the gap.
      await context.setOffline(true);
      await gasperd.resume();
      const t0 = await token();
      assert.equal((await api('POST', `/apps/${appName}/stop`, undefined, t0)).status, 202);
      for (let i = 0; i < 100 && (await api('GET', `/apps/${appName}`, undefined, t0)).json.state !== 'stopped'; i++) await sleep(100);
      assert.equal(await row.locator('.badge').getAttribute('data-state'), 'running', 'the page missed the change');
      assert.equal(await page.locator('.live-reconnecting').count(), 1);
      await context.setOffline(false);
      await page.locator('.live-live').waitFor({ timeout: 25000 });
      await row.locator('.badge[data-state="stopped"]').waitFor({ timeout: 5000 });
      // Live events flow on the new connection.
      assert.equal((await api('POST', `/apps/${appName}/start`, undefined, t0)).status, 202);
      await row.locator('.badge[data-state="running"]').waitFor({ timeout: 30000 });
    } finally {
      await context.setOffline(false);
      networkErrorsExpected = false;
    }
  });

  await t.test('delete asks first, then removes the app', async () => {
    await page.goto(`${gasperd.base}/apps/${appName}`);
    await waitState('running');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.match(page.url(), new RegExp(`/apps/${appName}$`));
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Delete ${appName}` }).click();
    await page.waitForURL(/\/apps$/);
    await page.locator(`tr[data-app="${appName}"]`).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/apps/${appName}`, undefined, await token())).status, 404);
  });

  await t.test('no console error on any page, no request to another origin', () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
  });
});
