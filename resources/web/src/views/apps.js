// SPDX-License-Identifier: MIT
// The apps list: state badges follow WS /api/v1/events; after a reconnect the list is
// fetched again (events sent during the gap are lost). Filter text is remembered.
import { api, prefs, session } from '../api.js';
import { h, replace, badge, setBadge, duration, timeEl } from '../dom.js';

export function lastDeployText(d) {
  if (!d) return 'never';
  const parts = [`#${d.number}`, d.status];
  if (d.total_ms) parts.push(duration(d.total_ms));
  return parts.join(' · ');
}

export function appsView(main, _params, { events }) {
  document.title = 'Apps · Gasper';
  const admin = !!session.user?.admin;
  const filter = h('input', { type: 'search', id: 'apps-filter', value: prefs.get('apps.filter', ''), placeholder: 'name, state, language, owner', attrs: { 'aria-label': 'Filter apps' } });
  const count = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
  const status = h('p', { class: 'muted' }, 'Loading…');
  const tbody = h('tbody');
  const table = h('table', { class: 'apps responsive' },
    h('caption', { class: 'sr-only' }, 'Your apps'),
    h('thead', {}, h('tr', {},
      ['Name', 'State', 'URL', 'Language', 'Last deploy', 'Restarts', admin ? 'Owner' : null]
        .filter(Boolean).map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
    tbody);
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Apps'), h('a', { class: 'button primary', href: '/apps/new' }, 'New app')),
    h('div', { class: 'toolbar' }, h('label', { attrs: { for: 'apps-filter' } }, 'Filter'), filter, count),
    status, h('div', { class: 'table-wrap' }, table));

  const rows = new Map();  // name → {app, tr, badge, deployCell, restartsCell}
  let alive = true;

  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    prefs.set('apps.filter', filter.value);
    let shown = 0;
    for (const r of rows.values()) {
      const a = r.app;
      const hay = `${a.name} ${a.state} ${a.language} ${a.owner || ''} ${a.url || ''}`.toLowerCase();
      const visible = !q || q.split(/\s+/).every((w) => hay.includes(w));
      r.tr.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = rows.size ? `${shown} of ${rows.size}` : '';
  }
  filter.addEventListener('input', applyFilter);

  function row(app) {
    const b = badge(app.state);
    const deployCell = h('td', { dataset: { label: 'Last deploy' } }, '…');
    const restartsCell = h('td', { class: 'num', dataset: { label: 'Restarts' } }, String(app.restarts ?? 0));
    const tr = h('tr', { dataset: { app: app.name } },
      h('th', { attrs: { scope: 'row' }, dataset: { label: 'Name' } }, h('a', { href: `/apps/${app.name}` }, app.name)),
      h('td', { dataset: { label: 'State' } }, b),
      h('td', { dataset: { label: 'URL' }, class: 'url' }, app.url ? h('a', { href: app.url, target: '_blank', rel: 'noopener noreferrer' }, app.url.replace(/^https?:\/\//, '').replace(/\/$/, '')) : '–'),
      h('td', { dataset: { label: 'Language' } }, app.language),
      deployCell, restartsCell,
      admin ? h('td', { dataset: { label: 'Owner' } }, app.owner || '') : null);
    return { app, tr, badge: b, deployCell, restartsCell };
  }

  async function loadDeploy(r) {
    try {
      const d = await api('GET', `/apps/${encodeURIComponent(r.app.name)}/deploys`);
      const last = d.deploys[0];
      if (!alive) return;
      replace(r.deployCell, lastDeployText(last), last ? [' · ', timeEl(last.started_at)] : null);
    } catch {
      replace(r.deployCell, '–');
    }
  }

  // State events that arrive while the list is fetched are newer than it: the list is
  // fetched again then, rather than shown over them.
  let stateEvents = 0;
  async function load() {
    try {
      let apps;
      for (let tries = 0; tries < 5; tries++) {
        const seen = stateEvents;
        ({ apps } = await api('GET', '/apps'));
        if (seen === stateEvents) break;
      }
      if (!alive) return;
      rows.clear();
      replace(tbody);
      for (const app of apps) {
        const r = row(app);
        rows.set(app.name, r);
        tbody.append(r.tr);
      }
      status.textContent = apps.length ? '' : 'No apps yet. ';
      if (!apps.length) status.append(h('a', { href: '/apps/new' }, 'Create your first app'), '.');
      status.hidden = apps.length > 0;
      applyFilter();
      // The last deploy of each app, a few requests at a time.
      const queue = [...rows.values()];
      const worker = async () => { while (alive && queue.length) await loadDeploy(queue.shift()); };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } catch (err) {
      status.textContent = `Could not load the apps: ${err.message}`;
      status.hidden = false;
    }
  }

  function refreshRow(r) {
    api('GET', `/apps/${encodeURIComponent(r.app.name)}`).then((a) => {
      r.app = a;
      r.restartsCell.textContent = String(a.restarts ?? 0);
    }).catch(() => {});
  }

  let reloadTimer = null;
  const reloadSoon = () => { clearTimeout(reloadTimer); reloadTimer = setTimeout(load, 300); };
  const off = events.on((e) => {
    if (e.type === 'resync') return load();
    const r = rows.get(e.app);
    if (e.type === 'app.state') stateEvents++;
    if (e.type === 'app.state') {
      if (!r) return reloadSoon();  // a new app (created in another tab or by gasperctl)
      r.app.state = e.state;
      setBadge(r.badge, e.state);
      applyFilter();
      if (e.state === 'running') refreshRow(r);  // back from a restart: its count went up
    } else if (e.type === 'app.deleted' && r) {
      r.tr.remove();
      rows.delete(e.app);
      applyFilter();
    } else if (e.type === 'deploy.step' && r && e.step === 'clone' && e.status === 'running') {
      replace(r.deployCell, `#${e.deploy} · running`);
    } else if (e.type === 'deploy.finished' && r) {
      loadDeploy(r);
      refreshRow(r);
    }
  });
  load();
  return () => { alive = false; off(); clearTimeout(reloadTimer); };
}
