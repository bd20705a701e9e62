// SPDX-License-Identifier: MIT
// App logs: server-side tail, follow over a streamed fetch, search, download. The view
// keeps at most MAX_LINES lines (older ones are dropped), so following for hours costs
// the same memory as following for a minute. Auto-scroll pauses while scrolled up.
// The tail, follow and wrap settings are remembered (localStorage).
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
  const search = h('input', { type: 'search', id: 'logs-search', placeholder: 'search the lines', attrs: { 'aria-label': 'Search the logs' } });
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
      search, matches, download, state),
    h('div', { class: 'output-wrap' }, view, resume));

  function matchesQuery(text, q) { return !q || text.toLowerCase().includes(q); }

  function render(text, q) {
    const el = h('div', { class: 'line' });
    if (q) {
      const lower = text.toLowerCase();
      let at = 0;
      for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, at)) {
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
    const q = search.value.trim().toLowerCase();
    const frag = document.createDocumentFragment();
    let shown = 0;
    for (const text of texts) {
      const line = { text, el: null };
      if (matchesQuery(text, q)) { line.el = render(text, q); frag.append(line.el); shown++; }
      lines.push(line);
    }
    while (lines.length > MAX_LINES) { const old = lines.shift(); if (old.el) old.el.remove(); }
    view.append(frag);
    if (shown) follower.added(shown);
    if (q) updateMatches(q);
  }

  function updateMatches(q) {
    matches.textContent = q ? `${lines.filter((l) => l.el).length} matching lines` : '';
  }

  function refilter() {
    const q = search.value.trim().toLowerCase();
    replace(view);
    const frag = document.createDocumentFragment();
    for (const l of lines) {
      l.el = matchesQuery(l.text, q) ? render(l.text, q) : null;
      if (l.el) frag.append(l.el);
    }
    view.append(frag);
    updateMatches(q);
    follower.toBottom();
  }

  async function start(tailValue) {
    stop();
    const controller = new AbortController();
    abort = controller;
    const following = follow.checked;
    state.textContent = following ? 'following…' : 'loading…';
    try {
      const res = await api('GET', `/apps/${encodeURIComponent(name)}/logs?tail=${tailValue}${following ? '&follow=1' : ''}`,
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
  let searchTimer = null;
  search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(refilter, 150); });
  download.addEventListener('click', async () => {
    download.disabled = true;
    try {
      const res = await fetch(`/api/v1/apps/${encodeURIComponent(name)}/logs?tail=all`, { headers: { Authorization: `Bearer ${session.token}` } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log` });
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
  start(tail.value);
  return () => { alive = false; stop(); };
}
