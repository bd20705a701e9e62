// SPDX-License-Identifier: MIT
// App logs: server-side tail, since, search (grep=, regex=1) and timestamps, follow over a
// streamed fetch, a past deploy's app log (deploy=N, kept when a rebuild replaced its
// container), download as a file (download=1). The view keeps at most MAX_LINES lines
// (older ones are dropped), so following for hours costs the same memory as following for a
// minute. Auto-scroll pauses while scrolled up. Tail, follow, wrap and timestamps are
// remembered (localStorage).
import { api, prefs, session } from '../api.js';
import { h, replace } from '../dom.js';
import { ScrollFollower } from '../scroll.js';

const MAX_LINES = 10000;

export function logsPanel(panel, { name }) {
  let abort = null;
  let alive = true;
  let retryTimer = null;
  let retryDelay = 1000;
  const lines = [];  // {text, el}
  const tail = h('select', { id: 'logs-tail' }, ['100', '1000', '10000', 'all'].map((v) => h('option', { value: v }, v === 'all' ? 'all' : `last ${v}`)));
  tail.value = prefs.get('logs.tail', '1000');
  const follow = h('input', { type: 'checkbox', id: 'logs-follow', checked: prefs.get('logs.follow', true) });
  const wrap = h('input', { type: 'checkbox', id: 'logs-wrap', checked: prefs.get('logs.wrap', false) });
  const stamps = h('input', { type: 'checkbox', id: 'logs-timestamps', checked: prefs.get('logs.timestamps', false) });
  const since = h('select', { id: 'logs-since', attrs: { 'aria-label': 'Since' } },
    [['', 'any time'], ['10m', 'last 10 min'], ['1h', 'last hour'], ['24h', 'last day']].map(([v, label]) => h('option', { value: v }, label)));
  const deploy = h('select', { id: 'logs-deploy', attrs: { 'aria-label': 'Deploy' } }, h('option', { value: '' }, 'live container'));
  const search = h('input', { type: 'search', id: 'logs-search', placeholder: 'search (on the server)', attrs: { 'aria-label': 'Search the logs' } });
  const regex = h('input', { type: 'checkbox', id: 'logs-regex' });
  const matches = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
  const download = h('button', { type: 'button' }, 'Download');
  const state = h('span', { class: 'muted', attrs: { role: 'status' } });
  const view = h('div', { class: 'logview', tabIndex: 0, attrs: { role: 'log', 'aria-label': `Logs of ${name}` } });
  const resume = h('button', { type: 'button', class: 'resume', hidden: true }, 'Back to the end ↓');
  const follower = new ScrollFollower(view, (f) => {
    resume.hidden = f.following;
    resume.textContent = f.pending ? `${f.pending} new lines ↓` : 'Back to the end ↓';
    state.dataset.paused = f.following ? '' : '1';
  });
  resume.addEventListener('click', () => follower.toBottom());
  view.classList.toggle('wrap', wrap.checked);
  panel.append(
    h('div', { class: 'toolbar' },
      h('label', { attrs: { for: 'logs-tail' } }, 'Show'), tail,
      h('label', { class: 'check' }, follow, ' Follow'),
      h('label', { class: 'check' }, wrap, ' Wrap'),
      h('label', { class: 'check' }, stamps, ' Timestamps'),
      since, deploy,
      search, h('label', { class: 'check' }, regex, ' Regex'), matches, download, state),
    h('div', { class: 'output-wrap' }, view, resume));

  // The server searched; the view only marks a plain search's text in each line.
  function highlightOf() { return regex.checked ? '' : search.value; }

  function render(text, q) {
    const el = h('div', { class: 'line' });
    if (q) {
      let at = 0;
      for (let i = text.indexOf(q); i >= 0; i = text.indexOf(q, at)) {
        el.append(text.slice(at, i), h('mark', {}, text.slice(i, i + q.length)));
        at = i + q.length;
      }
      el.append(text.slice(at));
    } else {
      el.textContent = text;
    }
    return el;
  }

  function addLines(texts) {
    const q = highlightOf();
    const frag = document.createDocumentFragment();
    for (const text of texts) {
      const line = { text, el: render(text, q) };
      frag.append(line.el);
      lines.push(line);
    }
    while (lines.length > MAX_LINES) { const old = lines.shift(); if (old.el) old.el.remove(); }
    view.append(frag);
    if (texts.length) follower.added(texts.length);
    updateMatches();
  }

  function updateMatches() {
    matches.textContent = search.value ? `${lines.length} matching line${lines.length === 1 ? '' : 's'}` : '';
  }

  // The query of GET …/logs for the current settings (without tail and follow).
  function query() {
    const q = new URLSearchParams();
    if (stamps.checked) q.set('timestamps', '1');
    if (since.value) q.set('since', since.value);
    if (deploy.value) q.set('deploy', deploy.value);
    if (search.value) { q.set('grep', search.value); if (regex.checked) q.set('regex', '1'); }
    return q;
  }

  async function loadDeploys() {
    try {
      const { deploys } = await api('GET', `/apps/${encodeURIComponent(name)}/deploys`);
      if (!alive) return;
      const chosen = deploy.value;
      replace(deploy, h('option', { value: '' }, 'live container'),
        ...deploys.filter((d) => d.status === 'succeeded').map((d) => h('option', { value: String(d.number) }, `deploy #${d.number}`)));
      deploy.value = chosen;
    } catch { /* the live log still works */ }
  }

  async function start(tailValue) {
    stop();
    const controller = new AbortController();
    abort = controller;
    const following = follow.checked;
    state.textContent = following ? 'following…' : 'loading…';
    try {
      const q = query();
      q.set('tail', tailValue);
      if (following) q.set('follow', '1');
      const res = await api('GET', `/apps/${encodeURIComponent(name)}/logs?${q}`,
        undefined, { signal: controller.signal, raw: true });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = '';
      let batch = [];
      let flushQueued = false;
      const flush = () => { flushQueued = false; if (batch.length && alive) addLines(batch.splice(0)); };
      if (following) state.textContent = 'following';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parts = (rest + value).split('\n');
        rest = parts.pop();
        if (parts.length) {
          batch.push(...parts);
          if (!flushQueued) { flushQueued = true; requestAnimationFrame(flush); }
        }
        retryDelay = 1000;
      }
      if (rest) batch.push(rest);
      flush();
      if (!following) { state.textContent = `${lines.length} lines`; return; }
      state.textContent = 'the stream ended (the container stopped or restarted); reconnecting…';
      scheduleRetry();
    } catch (err) {
      if (err.name === 'AbortError') return;
      if (err.code === 'not-deployed') state.textContent = 'no container yet: logs appear once the app runs';
      else if (err.code === 'invalid-query') { state.textContent = err.message; return; }
      else if (err.code === 'not-found' && deploy.value) { state.textContent = `no app log is kept for deploy #${deploy.value}`; return; }
      else state.textContent = `logs unavailable: ${err.message}`;
      if (follow.checked) scheduleRetry();
    }
  }

  function scheduleRetry() {
    if (!alive) return;
    clearTimeout(retryTimer);
    // Reconnecting asks only for new lines: the ones before are already shown.
    retryTimer = setTimeout(() => start(lines.length ? 0 : tail.value), retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function stop() {
    clearTimeout(retryTimer);
    if (abort) { abort.abort(); abort = null; }
  }

  function restart() {
    lines.length = 0;
    replace(view);
    follower.toBottom();
    start(tail.value);
  }

  tail.addEventListener('change', () => { prefs.set('logs.tail', tail.value); restart(); });
  follow.addEventListener('change', () => { prefs.set('logs.follow', follow.checked); restart(); });
  wrap.addEventListener('change', () => { prefs.set('logs.wrap', wrap.checked); view.classList.toggle('wrap', wrap.checked); });
  stamps.addEventListener('change', () => { prefs.set('logs.timestamps', stamps.checked); restart(); });
  since.addEventListener('change', restart);
  deploy.addEventListener('change', restart);
  regex.addEventListener('change', () => { if (search.value) restart(); });
  let searchTimer = null;
  search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(restart, 300); });
  download.addEventListener('click', async () => {
    download.disabled = true;
    try {
      const q = query();
      q.set('tail', 'all');
      q.set('download', '1');
      const res = await fetch(`/api/v1/apps/${encodeURIComponent(name)}/logs?${q}`, { headers: { Authorization: `Bearer ${session.token}` } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const file = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: file ? file[1] : `${name}.log` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      state.textContent = `download failed: ${err.message}`;
    } finally {
      download.disabled = false;
    }
  });
  loadDeploys();
  start(tail.value);
  return () => { alive = false; stop(); };
}
