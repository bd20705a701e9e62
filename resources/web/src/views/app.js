// SPDX-License-Identifier: MIT
// One app: its state (live), actions, and the section in the URL
// (/apps/<name>/<overview|logs|metrics|deploys|env|hooks|terminal>).
import { api } from '../api.js';
import { h, replace, badge, setBadge, timeEl } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { deployLive, deployHistory } from '../panels/deploys.js';
import { logsPanel } from '../panels/logs.js';
import { metricsPanel } from '../panels/metrics.js';
import { envPanel } from '../panels/env.js';
import { terminalPanel } from '../panels/terminal.js';
import { hooksPanel } from '../panels/hooks.js';

const sections = [
  ['overview', 'Overview'], ['logs', 'Logs'], ['metrics', 'Metrics'], ['deploys', 'Deploys'],
  ['env', 'Environment'], ['hooks', 'Push to deploy'], ['terminal', 'Terminal'],
];

export function appView(main, [name, section = 'overview'], { navigate, events }) {
  document.title = `${name} · Gasper`;
  let app = null;
  let alive = true;
  let panelCleanup = null;
  let deployFailureShown = false;
  const stateBadge = badge('…');
  const urlLink = h('a', { class: 'app-url', target: '_blank', rel: 'noopener noreferrer' });
  const meta = h('p', { class: 'meta muted' });
  const problem = h('div', { class: 'problem', hidden: true, attrs: { role: 'status' } });
  const notice = h('p', { class: 'notice', hidden: true, attrs: { role: 'status', 'aria-live': 'polite' } });
  const buttons = {
    rebuild: h('button', { type: 'button', on: { click: () => action('rebuild') } }, 'Rebuild'),
    restart: h('button', { type: 'button', on: { click: () => action('restart') } }, 'Restart'),
    stop: h('button', { type: 'button', on: { click: () => action('stop') } }, 'Stop'),
    start: h('button', { type: 'button', on: { click: () => action('start') } }, 'Start'),
    delete: h('button', { type: 'button', class: 'danger', on: { click: remove } }, 'Delete'),
  };
  const tabs = h('nav', { class: 'tabs', attrs: { 'aria-label': 'App sections' } },
    sections.map(([id, label]) => h('a', { href: id === 'overview' ? `/apps/${name}` : `/apps/${name}/${id}`, attrs: { 'aria-current': id === section ? 'page' : null } }, label)));
  const panel = h('section', { class: 'panel', attrs: { 'aria-label': sections.find(([id]) => id === section)?.[1] } });
  main.append(
    h('div', { class: 'page-head app-head' },
      h('div', {}, h('h1', {}, name, ' ', stateBadge), urlLink, meta),
      h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Actions' } }, Object.values(buttons))),
    problem, notice, tabs, panel);

  function show(a) {
    app = a;
    setBadge(stateBadge, a.state);
    urlLink.href = a.url || '#';
    urlLink.textContent = a.url || '';
    replace(meta, a.language, ' · node ', a.node || '–', ' · ', `${a.restarts ?? 0} restarts`,
      a.owner ? ` · owner ${a.owner}` : '', ' · updated ', timeEl(a.updated_at));
    // The overview shows a failed deploy's reason itself, next to its steps.
    if (a.last_error && !(section === 'overview' && deployFailureShown)) {
      const [first, ...rest] = a.last_error.split('\n');
      replace(problem, h('strong', {}, first), rest.length ? h('pre', { class: 'lines' }, rest.join('\n')) : null);
      problem.hidden = false;
    } else {
      problem.hidden = true;
    }
    const s = a.state;
    buttons.stop.disabled = s === 'stopped' || s === 'failed';
    buttons.start.disabled = s !== 'stopped';
    buttons.restart.disabled = !(s === 'running' || s === 'restarting');
  }

  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  // A state event that arrives while a GET is under way is newer than its answer: the
  // answer is then fetched again rather than shown over the event.
  let stateEvents = 0;
  async function refresh() {
    try {
      let a;
      for (let tries = 0; tries < 5; tries++) {
        const seen = stateEvents;
        a = await api('GET', `/apps/${encodeURIComponent(name)}`);
        if (seen === stateEvents) break;
      }
      if (alive) show(a);
      return a;
    } catch (err) {
      if (err.status === 404) {
        replace(main, h('h1', {}, 'Not found'), h('p', {}, `There is no app named ${name}. `, h('a', { href: '/apps' }, 'Back to the apps')));
        alive = false;
        if (panelCleanup) panelCleanup();
      } else {
        say(`Could not load the app: ${err.message}`);
      }
      return null;
    }
  }

  async function action(what) {
    for (const b of Object.values(buttons)) b.disabled = true;
    try {
      const a = await api('POST', `/apps/${encodeURIComponent(name)}/${what}`);
      say({ rebuild: 'Rebuilding: the current container serves until the new one is healthy.', restart: 'Restarting…', stop: 'Stopping…', start: 'Starting…' }[what]);
      if (alive) show(a);
    } catch (err) {
      say(`${what} failed: ${err.message}`);
    } finally {
      for (const b of Object.values(buttons)) b.disabled = false;
      if (app) show(app);
    }
  }

  async function remove() {
    const ok = await confirmDialog({
      title: `Delete ${name}?`,
      body: 'Its containers, cloned source, route and deploy history are removed. This cannot be undone.',
      confirm: `Delete ${name}`, danger: true,
    });
    if (!ok) return;
    buttons.delete.disabled = true;
    try {
      await api('DELETE', `/apps/${encodeURIComponent(name)}`);
      navigate('/apps');
    } catch (err) {
      say(`Delete failed: ${err.message}`);
      buttons.delete.disabled = false;
    }
  }

  const off = events.on((e) => {
    if (e.type === 'resync') return refresh();
    if (e.app !== name) return;
    if (e.type === 'app.state') stateEvents++;
    if (e.type === 'app.state' && app) {
      show({ ...app, state: e.state, last_error: e.detail ?? (e.state === 'running' ? null : app.last_error) });
      if (e.state === 'running' || e.state === 'failed' || e.state === 'stopped') { say(''); refresh(); }
    } else if (e.type === 'app.deleted') {
      replace(main, h('h1', {}, `${name} was deleted`), h('p', {}, h('a', { href: '/apps' }, 'Back to the apps')));
      alive = false;
      if (panelCleanup) panelCleanup();
    }
  });

  refresh().then((a) => {
    if (!a || !alive) return;
    const ctx = {
      name, app: a, events, refresh, say,
      failureShown: (shown) => { deployFailureShown = shown; if (app) show(app); },
    };
    const builders = {
      overview: () => deployLive(panel, ctx),
      logs: () => logsPanel(panel, ctx),
      metrics: () => metricsPanel(panel, ctx),
      deploys: () => deployHistory(panel, ctx),
      env: () => envPanel(panel, ctx),
      hooks: () => hooksPanel(panel, ctx),
      terminal: () => terminalPanel(panel, ctx),
    };
    panelCleanup = builders[section]();
  });
  return () => { alive = false; off(); if (panelCleanup) panelCleanup(); };
}
