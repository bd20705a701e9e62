// SPDX-License-Identifier: MIT
// Admins: the nodes with their load, and every user's apps grouped by owner.
import { api } from '../api.js';
import { h, replace, badge, bytes, timeEl } from '../dom.js';

export function adminView(main, _params, { events }) {
  document.title = 'Admin · Gasper';
  let alive = true;
  const nodesBox = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const appsBox = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  main.append(h('h1', {}, 'Admin'), h('h2', {}, 'Nodes'), nodesBox, h('h2', {}, 'Every user\'s apps'), appsBox);

  async function loadNodes() {
    try {
      const { nodes } = await api('GET', '/nodes');
      if (!alive) return;
      replace(nodesBox, h('div', { class: 'nodes' }, nodes.map((n) => {
        const loadPct = n.cpus ? (n.load1 / n.cpus) * 100 : 0;
        return h('article', { class: 'card node', dataset: { node: n.name } },
          h('div', { class: 'row' }, h('h3', {}, n.name), h('span', { class: ['badge', n.status === 'ready' ? 'badge-ok' : 'badge-bad'] }, n.status)),
          h('dl', { class: 'info' },
            h('dt', {}, 'Load (1 min)'), h('dd', {}, `${(n.load1 ?? 0).toFixed(2)} on ${n.cpus} CPUs (${loadPct.toFixed(0)} % per CPU) `,
              h('meter', { min: 0, max: 100, low: 70, high: 90, optimum: 0, value: Math.min(100, loadPct), attrs: { 'aria-label': 'Load per CPU' } }, `${loadPct.toFixed(0)} %`)),
            h('dt', {}, 'Memory'), h('dd', {}, bytes((n.memory_mb || 0) * 1024 * 1024)),
            h('dt', {}, 'Apps'), h('dd', {}, `${n.apps ?? 0} (${n.containers_running ?? 0} containers running on its engine)`),
            h('dt', {}, 'Services'), h('dd', {}, (n.services || []).join(', ')),
            h('dt', {}, 'Engine'), h('dd', {}, n.engine || '–'),
            h('dt', {}, 'Heartbeat'), h('dd', {}, n.heartbeat_at ? timeEl(n.heartbeat_at) : '–'),
            n.error ? [h('dt', {}, 'Error'), h('dd', {}, n.error)] : null));
      })));
    } catch (err) {
      replace(nodesBox, h('p', {}, `Could not load the nodes: ${err.message}`));
    }
  }

  async function loadApps() {
    try {
      const { apps } = await api('GET', '/apps');
      if (!alive) return;
      const byOwner = new Map();
      for (const a of apps) {
        if (!byOwner.has(a.owner)) byOwner.set(a.owner, []);
        byOwner.get(a.owner).push(a);
      }
      if (!apps.length) return replace(appsBox, h('p', { class: 'muted' }, 'No apps on this gasperd yet.'));
      const owners = [...byOwner.keys()].sort();
      const tbody = h('tbody');
      for (const owner of owners) {
        for (const a of byOwner.get(owner)) {
          tbody.append(h('tr', { dataset: { app: a.name } },
            h('td', { dataset: { label: 'Owner' } }, owner || '–'),
            h('th', { attrs: { scope: 'row' }, dataset: { label: 'App' } }, h('a', { href: `/apps/${a.name}` }, a.name)),
            h('td', { dataset: { label: 'State' } }, badge(a.state)),
            h('td', { dataset: { label: 'Language' } }, a.language),
            h('td', { dataset: { label: 'Node' } }, a.node || '–'),
            h('td', { dataset: { label: 'Memory' }, class: 'num' }, a.resources ? bytes(a.resources.memory_mb * 1024 * 1024) : '–'),
            h('td', { dataset: { label: 'CPUs' }, class: 'num' }, String(a.resources?.cpus ?? '–')),
            h('td', { dataset: { label: 'Restarts' }, class: 'num' }, String(a.restarts ?? 0))));
        }
      }
      replace(appsBox,
        h('p', { class: 'muted' }, `${apps.length} app${apps.length === 1 ? '' : 's'} of ${owners.length} user${owners.length === 1 ? '' : 's'}`),
        h('div', { class: 'table-wrap' }, h('table', { class: 'responsive' },
          h('thead', {}, h('tr', {}, ['Owner', 'App', 'State', 'Language', 'Node', 'Memory', 'CPUs', 'Restarts'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
          tbody)));
    } catch (err) {
      replace(appsBox, h('p', {}, `Could not load the apps: ${err.message}`));
    }
  }

  const off = events.on((e) => { if (e.type === 'resync' || e.type === 'app.state' || e.type === 'app.deleted') { clearTimeout(t2); t2 = setTimeout(loadApps, 500); } });
  let t2 = null;
  loadNodes();
  loadApps();
  const timer = setInterval(loadNodes, 10000);
  return () => { alive = false; off(); clearInterval(timer); clearTimeout(t2); };
}
