// SPDX-License-Identifier: MIT
// The env editor: key/value rows, or the whole set as .env text. Either way saving sends
// the difference as a merge patch (PATCH env, RFC 7396), so saving the text view replaces
// the set: keys missing from the text are removed. Saving rebuilds the app.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { parseEnv, formatEnv, envPatch } from '../envfile.js';

export function envPanel(panel, { name, app, refresh, say }) {
  let current = { ...(app.env || {}) };
  let mode = 'rows';
  const status = h('p', { class: 'form-error', hidden: true, tabIndex: -1, attrs: { role: 'alert' } });
  const rowsBox = h('div', { class: 'env-rows' });
  const bulk = h('textarea', { id: 'env-bulk', rows: 12, class: 'mono', attrs: { spellcheck: 'false', 'aria-label': 'Environment as .env text' } });
  const bulkBox = h('div', { hidden: true }, h('p', { class: 'hint' }, 'One KEY=value per line; quote values with spaces or newlines. Saving replaces the whole set.'), bulk);
  const rowsTab = h('button', { type: 'button', attrs: { 'aria-pressed': 'true' } }, 'Rows');
  const bulkTab = h('button', { type: 'button', attrs: { 'aria-pressed': 'false' } }, '.env text');
  const add = h('button', { type: 'button' }, 'Add variable');
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save and rebuild');
  const revert = h('button', { type: 'button' }, 'Revert');
  const form = h('form', { class: 'env', attrs: { novalidate: true } },
    h('div', { class: 'row' }, h('h2', {}, 'Environment'),
      h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Editor' } }, rowsTab, bulkTab)),
    h('p', { class: 'muted' }, 'Values are stored encrypted. PORT and GASPER_* are set by Gasper.'),
    status, rowsBox, bulkBox,
    h('div', { class: 'actions' }, save, revert, add));
  panel.append(form);

  function row(key = '', value = '') {
    const k = h('input', { type: 'text', value: key, class: 'mono env-key', attrs: { 'aria-label': 'Name', spellcheck: 'false', autocapitalize: 'none', placeholder: 'NAME' } });
    const v = h('input', { type: 'text', value, class: 'mono env-value', attrs: { 'aria-label': `Value of ${key || 'the new variable'}`, spellcheck: 'false', placeholder: 'value' } });
    const del = h('button', { type: 'button', class: 'icon', attrs: { 'aria-label': `Remove ${key || 'this variable'}`, title: 'Remove' } }, '×');
    const r = h('div', { class: 'env-row' }, k, v, del);
    k.addEventListener('input', () => { v.setAttribute('aria-label', `Value of ${k.value || 'the new variable'}`); del.setAttribute('aria-label', `Remove ${k.value || 'this variable'}`); });
    del.addEventListener('click', () => { r.remove(); if (!rowsBox.querySelector('.env-row')) rowsBox.append(row()); });
    return r;
  }

  function fillRows(env) {
    replace(rowsBox, Object.keys(env).sort().map((k) => row(k, env[k])));
    if (!Object.keys(env).length) rowsBox.append(row());
  }

  function fromRows() {
    const env = {};
    for (const r of rowsBox.querySelectorAll('.env-row')) {
      const [k, v] = r.querySelectorAll('input');
      const key = k.value.trim();
      if (!key && !v.value) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) { k.focus(); throw new Error(`'${key}' is not a valid variable name`); }
      if (key in env) { k.focus(); throw new Error(`${key} is listed twice`); }
      env[key] = v.value;
    }
    return env;
  }

  function setMode(m) {
    try {
      if (m === 'bulk' && mode === 'rows') bulk.value = formatEnv(fromRows());
      if (m === 'rows' && mode === 'bulk') fillRows(parseEnv(bulk.value));
    } catch (err) { return showError(err.message); }
    mode = m;
    status.hidden = true;
    rowsBox.hidden = m !== 'rows';
    add.hidden = m !== 'rows';
    bulkBox.hidden = m !== 'bulk';
    rowsTab.setAttribute('aria-pressed', String(m === 'rows'));
    bulkTab.setAttribute('aria-pressed', String(m === 'bulk'));
  }

  function showError(text) {
    status.textContent = text;
    status.hidden = false;
    status.focus();
  }

  rowsTab.addEventListener('click', () => setMode('rows'));
  bulkTab.addEventListener('click', () => setMode('bulk'));
  add.addEventListener('click', () => { const r = row(); rowsBox.append(r); r.querySelector('input').focus(); });
  revert.addEventListener('click', () => { fillRows(current); bulk.value = formatEnv(current); status.hidden = true; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.hidden = true;
    let next;
    try { next = mode === 'rows' ? fromRows() : parseEnv(bulk.value); } catch (err) { return showError(err.message); }
    const patch = envPatch(current, next);
    if (!Object.keys(patch).length) return showError('Nothing changed.');
    save.disabled = true;
    try {
      const a = await api('PATCH', `/apps/${encodeURIComponent(name)}`, { env: patch });
      current = { ...(a.env || {}) };
      fillRows(current);
      bulk.value = formatEnv(current);
      say('Saved: the app is rebuilding with the new environment.');
      refresh();
    } catch (err) {
      showError(err.message);
    } finally {
      save.disabled = false;
    }
  });
  fillRows(current);
  bulk.value = formatEnv(current);
  return () => {};
}
