// SPDX-License-Identifier: MIT
// The live deploy (steps with durations, scrolling build output, the failure's reason
// and last lines) and the deploy history with per-step timings, where a deploy can be
// rolled back to and the app's health check changed.
import { api, session } from '../api.js';
import { h, replace, badge, setBadge, duration, timeEl, bytes } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { field, FormErrors, errorBox } from '../form.js';
import { healthBody, healthText, triggerText, rollbackTargets } from '../health.js';
import { ScrollFollower } from '../scroll.js';
import { sshCommands } from '../ssh.js';

const MAX_OUTPUT_LINES = 2000;

function stepText(steps) {
  return steps.map((s) => `${s.name} ${s.status === 'skipped' ? 'skipped' : duration(s.ms)}`).join(' · ');
}

export function deployLive(panel, { name, app, events, failureShown }) {
  let current = null;  // {number, status, steps: Map, ...}
  let alive = true;
  const title = h('h2', {}, 'Latest deploy');
  const status = badge('…');
  const summary = h('p', { class: 'muted' });
  const stepsList = h('ol', { class: 'steps', attrs: { 'aria-label': 'Deploy steps' } });
  const failure = h('div', { class: 'problem', hidden: true });
  const output = h('pre', { class: 'output', tabIndex: 0, attrs: { role: 'log', 'aria-label': 'Build output' } });
  const resume = h('button', { type: 'button', class: 'resume', hidden: true }, 'New output ↓');
  const follower = new ScrollFollower(output, (f) => {
    resume.hidden = f.following;
    resume.textContent = f.pending ? `${f.pending} new lines ↓` : 'Back to the end ↓';
  });
  resume.addEventListener('click', () => follower.toBottom());
  const info = h('dl', { class: 'info' });
  panel.append(
    h('div', { class: 'deploy' }, h('div', { class: 'row' }, title, status), summary, stepsList, failure,
      h('div', { class: 'output-wrap' }, output, resume)),
    h('h2', {}, 'Settings'), info);

  const envCount = Object.keys(app.env || {}).length + Object.keys(app.secret_env || {}).length;
  const rows = [
    ['Git URL', app.git?.url], ['Branch', app.git?.branch || 'default branch'], ['Token', app.git?.token_set ? 'set' : 'none'],
    ['Build', (app.build || []).join('\n') || 'none'], ['Run', app.run || 'the Procfile\'s web: line'], ['Port', String(app.port ?? '')],
    ['Health check', healthText(app.health)],
    ...(app.git?.commit ? [['Pinned to', `commit ${app.git.commit.slice(0, 12)} (a rollback; the next rebuild deploys the branch again)`]] : []),
    ['Memory', app.resources ? bytes(app.resources.memory_mb * 1024 * 1024) : '–'], ['CPUs', String(app.resources?.cpus ?? '–')],
    ['Environment', `${envCount} variable${envCount === 1 ? '' : 's'}`], ['Created', app.created_at ? timeEl(app.created_at) : '–'],
  ];
  const ssh = sshCommands(app.ssh, location.hostname);
  if (ssh) rows.push(['Shell', h('code', {}, ssh.ssh)], ['Files', [h('code', {}, ssh.sftp), ' (scp -P works too)']]);
  for (const [k, v] of rows) info.append(h('dt', {}, k), h('dd', {}, v));

  function stepRow(s) {
    const b = badge(s.status);
    const ms = h('span', { class: 'ms' });
    const li = h('li', { dataset: { step: s.name } }, h('span', { class: 'step-name' }, s.name), b, ms);
    return { li, b, ms, started: performance.now(), name: s.name, status: s.status };
  }

  function setStep(s) {
    let r = current.steps.get(s.name);
    if (!r) {
      r = stepRow(s);
      current.steps.set(s.name, r);
      stepsList.append(r.li);
    }
    r.status = s.status;
    setBadge(r.b, s.status);
    if (s.status === 'running') r.started = performance.now();
    else r.ms.textContent = s.status === 'skipped' ? '' : duration(s.ms);
  }

  function begin(d) {
    current = { number: d.number, status: d.status, steps: new Map() };
    title.textContent = `Deploy #${d.number}`;
    setBadge(status, d.status);
    replace(stepsList);
    replace(output);
    failure.hidden = true;
    follower.toBottom();
    updateSummary(d);
    for (const s of d.steps || []) setStep(s);
  }

  function updateSummary(d) {
    replace(summary, d.trigger ? `${triggerText(d)} · ` : '', d.commit ? `commit ${d.commit.slice(0, 12)} · ` : '',
      d.started_at ? ['started ', timeEl(d.started_at)] : 'started just now',
      d.total_ms ? ` · took ${duration(d.total_ms)}` : '');
  }

  function addLines(lines) {
    for (const l of lines) {
      const stream = l.stream || 'stdout';
      output.append(h('span', { class: `line ${stream}` }, `${l.line}\n`));
    }
    while (output.childNodes.length > MAX_OUTPUT_LINES) output.firstChild.remove();
    follower.added(lines.length);
  }

  function showFailure(d) {
    if (d.status !== 'failed' || !d.error) { failure.hidden = true; failureShown(false); return; }
    const [first, ...rest] = d.error.split('\n');
    replace(failure, h('strong', {}, `Failed: ${first}`), d.error_code ? h('span', { class: 'muted' }, ` (${d.error_code})`) : null,
      rest.length ? h('pre', { class: 'lines' }, rest.join('\n')) : null);
    failure.hidden = false;
    failureShown(true);
  }

  // A load that awaited the stored log must not show its older answer over a newer load's
  // (a fast failure finishes while the first load still fetches the log).
  let loads = 0;
  async function load() {
    const seq = ++loads;
    try {
      const { deploys } = await api('GET', `/apps/${encodeURIComponent(name)}/deploys`);
      if (!alive || seq !== loads) return;
      const d = deploys[0];
      if (!d) { title.textContent = 'No deploy yet'; setBadge(status, app.state); return; }
      if (!current || current.number !== d.number) {
        begin(d);
        try {
          const log = await api('GET', `/apps/${encodeURIComponent(name)}/deploys/${d.number}/log`);
          if (alive && current.number === d.number && typeof log === 'string' && log) addLines(log.replace(/\n$/, '').split('\n').map((line) => ({ line })));
        } catch { /* output not kept (older deploy) */ }
        if (seq !== loads) return;
      } else {
        for (const s of d.steps || []) setStep(s);
      }
      current.status = d.status;
      setBadge(status, d.status);
      updateSummary(d);
      showFailure(d);
    } catch (err) {
      summary.textContent = `Could not load the deploys: ${err.message}`;
    }
  }

  // Running steps show their time so far.
  const ticker = setInterval(() => {
    if (!current) return;
    for (const r of current.steps.values()) if (r.status === 'running') r.ms.textContent = `${duration(performance.now() - r.started)}…`;
  }, 200);

  const pending = [];
  let flushQueued = false;
  const off = events.on((e) => {
    if (e.type === 'resync') return load();
    if (e.app !== name) return;
    if ((e.type === 'deploy.step' || e.type === 'deploy.output') && (!current || e.deploy > current.number))
      begin({ number: e.deploy, status: 'running', steps: [] });
    if (!current || e.deploy !== current.number) return;
    if (e.type === 'deploy.step') setStep({ name: e.step, status: e.status, ms: e.ms });
    else if (e.type === 'deploy.output') {
      pending.push(e);
      if (!flushQueued) {
        flushQueued = true;
        requestAnimationFrame(() => { flushQueued = false; addLines(pending.splice(0)); });
      }
    } else if (e.type === 'deploy.finished') {
      current.status = e.status;
      setBadge(status, e.status);
      load();
    }
  });
  load();
  return () => { alive = false; off(); clearInterval(ticker); };
}

// The app's health check, changed in place (PATCH health: a deploy follows).
function healthEditor(name, app, say) {
  const general = errorBox();
  const f = {
    path: field('health.path', 'Path', h('input', { type: 'text', value: app.health?.path && app.health.path !== '/' ? app.health.path : '',
      attrs: { spellcheck: 'false', placeholder: '/', autocomplete: 'off' } }), 'empty: any answer on /'),
    status: field('health.status', 'Expected status', h('input', { type: 'number', value: app.health?.status ?? '',
      attrs: { min: 100, max: 599, placeholder: '200-399', inputmode: 'numeric' } })),
    timeout: field('health.timeout', 'Timeout (s)', h('input', { type: 'number', value: app.health?.timeout ?? '',
      attrs: { min: 1, max: 600, placeholder: 'default', inputmode: 'numeric' } })),
  };
  const save = h('button', { type: 'submit' }, 'Save and redeploy');
  const form = h('form', { class: 'health-form', attrs: { novalidate: true, 'aria-label': 'Health check' } }, general,
    h('p', { class: 'muted' }, 'A new container gets traffic only once it passes this check; until then the current one serves.'),
    h('div', { class: 'grid3' }, f.path, f.status, f.timeout), h('div', { class: 'actions' }, save));
  const errors = new FormErrors(form, general);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    save.disabled = true;
    try {
      await api('PATCH', `/apps/${encodeURIComponent(name)}`, { health: healthBody(f.path.input.value, f.status.input.value, f.timeout.input.value) });
      say?.('Health check saved: redeploying; the current container serves until the new one passes it.');
    } catch (err) {
      errors.show(err);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

export function deployHistory(panel, { name, app, events, say }) {
  let alive = true;
  const list = h('div', { class: 'history' }, h('p', { class: 'muted' }, 'Loading…'));
  panel.append(h('h2', {}, 'Health check'), healthEditor(name, app, say), h('h2', {}, 'Deploy history'), list);

  async function rollBack(d, btn) {
    const ok = await confirmDialog({
      title: `Roll back to deploy #${d.number}?`,
      body: `Commit ${d.commit.slice(0, 12)} is deployed again with the app's current settings. The current container serves until the new one is healthy. The app stays on that commit until its next rebuild.`,
      confirm: `Roll back to #${d.number}`,
    });
    if (!ok) return;
    btn.disabled = true;
    try {
      await api('POST', `/apps/${encodeURIComponent(name)}/rollback`, { deploy: d.number });
      say?.(`Rolling back to deploy #${d.number}: the current container serves until the new one is healthy.`);
      load();
    } catch (err) {
      say?.(`Rollback failed: ${err.message}`);
      btn.disabled = false;
    }
  }

  // The deploy's own output as kept in the store (build, release and Gasper's lines),
  // with stderr marked; it outlives restarts of gasperd and the deploy's container.
  async function showLog(d, target, btn) {
    if (!target.hidden) { target.hidden = true; btn.setAttribute('aria-expanded', 'false'); return; }
    btn.setAttribute('aria-expanded', 'true');
    target.hidden = false;
    target.textContent = 'Loading…';
    try {
      const { lines } = await api('GET', `/apps/${encodeURIComponent(name)}/deploys/${d.number}/log?format=json`);
      if (!lines.length) { target.textContent = '(no output)'; return; }
      replace(target, ...lines.map((l) => h('div', { class: `line ${l.stream}`, title: l.at }, l.line)));
    } catch (err) {
      target.textContent = err.status === 404 ? 'Output not kept: gasperd keeps the output of the newest deploys of each app.' : err.message;
    }
  }

  async function downloadLog(d, btn) {
    btn.disabled = true;
    try {
      const res = await fetch(`/api/v1/apps/${encodeURIComponent(name)}/deploys/${d.number}/log?download=1`, { headers: { Authorization: `Bearer ${session.token}` } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `${name}-deploy-${d.number}-build.log` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      btn.title = `download failed: ${err.message}`;
    } finally {
      btn.disabled = false;
    }
  }

  // A load that awaited the stored log must not show its older answer over a newer load's
  // (a fast failure finishes while the first load still fetches the log).
  let loads = 0;
  async function load() {
    const seq = ++loads;
    try {
      const { deploys } = await api('GET', `/apps/${encodeURIComponent(name)}/deploys`);
      if (!alive || seq !== loads) return;
      if (!deploys.length) return replace(list, h('p', { class: 'muted' }, 'No deploys yet.'));
      const table = h('table', { class: 'deploys responsive' },
        h('thead', {}, h('tr', {}, ['#', 'Status', 'Trigger', 'Commit', 'Started', 'Total', 'Steps', ''].map((t) => h('th', { attrs: { scope: 'col' } }, t)))));
      const tbody = h('tbody');
      const targets = rollbackTargets(deploys);
      for (const d of deploys) {
        const logRow = h('pre', { class: 'output small', hidden: true });
        const btn = h('button', { type: 'button', class: 'link', attrs: { 'aria-expanded': 'false' } }, 'Output');
        btn.addEventListener('click', () => showLog(d, logRow, btn));
        const save = h('button', { type: 'button', class: 'link', attrs: { 'aria-label': `Download the output of deploy #${d.number}` } }, 'Download');
        save.addEventListener('click', () => downloadLog(d, save));
        let back = null;
        if (targets.has(d.number)) {
          back = h('button', { type: 'button', class: 'link rollback', attrs: { 'aria-label': `Roll back to deploy #${d.number}` } }, 'Roll back to this deploy');
          back.addEventListener('click', () => rollBack(d, back));
        }
        tbody.append(
          h('tr', { dataset: { deploy: d.number } },
            h('th', { attrs: { scope: 'row' }, dataset: { label: '#' } }, String(d.number)),
            h('td', { dataset: { label: 'Status' } }, badge(d.status)),
            h('td', { dataset: { label: 'Trigger' } }, triggerText(d)),
            h('td', { dataset: { label: 'Commit' }, class: 'mono' }, d.commit ? d.commit.slice(0, 12) : '–'),
            h('td', { dataset: { label: 'Started' } }, timeEl(d.started_at)),
            h('td', { dataset: { label: 'Total' }, class: 'num' }, d.status === 'running' ? 'running' : duration(d.total_ms)),
            h('td', { dataset: { label: 'Steps' }, class: 'steps-text' }, stepText(d.steps || []),
              d.error ? h('div', { class: 'error-text' }, d.error.split('\n')[0]) : null),
            h('td', { class: 'row-actions' }, btn, ' ', save, back)),
          h('tr', { class: 'log-row' }, h('td', { attrs: { colspan: 8 } }, logRow)));
      }
      table.append(tbody);
      replace(list, h('div', { class: 'table-wrap' }, table));
    } catch (err) {
      replace(list, h('p', {}, `Could not load the deploys: ${err.message}`));
    }
  }
  const off = events.on((e) => {
    if (e.type === 'resync' || (e.app === name && (e.type === 'deploy.finished' || (e.type === 'deploy.step' && e.step === 'clone' && e.status === 'running')))) load();
  });
  load();
  return () => { alive = false; off(); };
}
