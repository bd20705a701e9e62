// SPDX-License-Identifier: MIT
// Building DOM nodes without HTML strings: every text from the API goes in as a text
// node (or textContent), never through innerHTML, so nothing it holds can become markup.

// h('button', {class: 'primary', on: {click}, attrs: {'aria-label': 'x'}}, 'text', child…)
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'attrs') for (const [a, v] of Object.entries(value)) { if (v !== undefined && v !== null && v !== false) el.setAttribute(a, v === true ? '' : String(v)); }
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') throw new Error('no inline styles: use a class');
    else el[key] = value;  // value, checked, type, href, id, name, disabled, …
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// Human-readable sizes and times, in absolute units.
export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Math.abs(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${n < 0 ? '-' : ''}${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60000);
  return `${m} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function ago(iso) {
  if (!iso) return '–';
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.floor(s)} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

// A <time> element: relative text, absolute time as tooltip.
export function timeEl(iso) {
  return h('time', { attrs: { datetime: iso, title: time(iso) }, text: ago(iso) });
}

const stateClass = {
  running: 'ok', queued: 'busy', cloning: 'busy', building: 'busy', starting: 'busy',
  restarting: 'warn', failed: 'bad', stopped: 'idle',
  succeeded: 'ok', cancelled: 'idle', done: 'ok', skipped: 'idle',
};

export function badge(state, extra = {}) {
  return h('span', { class: ['badge', `badge-${stateClass[state] || 'idle'}`], ...extra, attrs: { 'data-state': state, ...(extra.attrs || {}) } }, state);
}

export function setBadge(el, state) {
  el.className = `badge badge-${stateClass[state] || 'idle'}`;
  el.dataset.state = state;
  el.textContent = state;
}
