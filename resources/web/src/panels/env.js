// SPDX-License-Identifier: MIT
// The env editor: key/value rows, or the plain variables as .env text. Saving sends the
// difference as a merge patch (PATCH env, RFC 7396), so saving the text view replaces
// the plain set: keys missing from it are removed. Secret variables are write-only: the
// API shows them as {"secret": true}; a row marked secret sends {"value", "secret": true},
// and an untouched secret row is left as it is. Saving rebuilds the app.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { parseEnv, formatEnv } from '../envfile.js';

const isSecret = (v) => v !== null && typeof v === 'object' && v.secret === true;

// next: key → {secret: bool, value: string | undefined (undefined: keep the stored secret)}
export function envChanges(current, next) {
  const patch = {};
  for (const k of Object.keys(current)) if (!(k in next)) patch[k] = null;
  for (const [k, n] of Object.entries(next)) {
    const had = current[k];
    if (n.secret) {
      if (n.value !== undefined) patch[k] = { value: n.value, secret: true };
      else if (had === undefined) throw new Error(`${k}: give the secret a value`);
      else if (!isSecret(had)) patch[k] = { secret: true };  // keeps the stored value
    } else {
      if (n.value === undefined) throw new Error(`${k}: type its value to make it plain`);
      if (had !== n.value) patch[k] = n.value;
    }
  }
  return patch;
}

export function envPanel(panel, { name, app, refresh, say }) {
  let current = { ...(app.env || {}) };
  let mode = 'rows';
  const status = h('p', { class: 'form-error', hidden: true, tabIndex: -1, attrs: { role: 'alert' } });
  const rowsBox = h('div', { class: 'env-rows' });
  const bulk = h('textarea', { id: 'env-bulk', rows: 12, class: 'mono', attrs: { spellcheck: 'false', 'aria-label': 'Environment as .env text' } });
  const secretNote = h('p', { class: 'hint' });
  const bulkBox = h('div', { hidden: true },
    h('p', { class: 'hint' }, 'One KEY=value per line; quote values with spaces or newlines. Saving replaces the plain variables.'),
    secretNote, bulk);
  const rowsTab = h('button', { type: 'button', attrs: { 'aria-pressed': 'true' } }, 'Rows');
  const bulkTab = h('button', { type: 'button', attrs: { 'aria-pressed': 'false' } }, '.env text');
  const add = h('button', { type: 'button' }, 'Add variable');
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save and rebuild');
  const revert = h('button', { type: 'button' }, 'Revert');
  const form = h('form', { class: 'env', attrs: { novalidate: true } },
    h('div', { class: 'row' }, h('h2', {}, 'Environment'),
      h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Editor' } }, rowsTab, bulkTab)),
    h('p', { class: 'muted' }, 'Values are stored encrypted. Secret values are write-only: no answer shows them again. PORT and GASPER_* are set by Gasper.'),
    status, rowsBox, bulkBox,
    h('div', { class: 'actions' }, save, revert, add));
  panel.append(form);

  function row(key = '', value = '', secret = false) {
    const stored = secret && value === null;  // a secret whose value the API never shows
    const k = h('input', { type: 'text', value: key, class: 'mono env-key', attrs: { 'aria-label': 'Name', spellcheck: 'false', autocapitalize: 'none', placeholder: 'NAME' } });
    const v = h('input', { type: secret ? 'password' : 'text', value: stored ? '' : value, class: 'mono env-value',
      attrs: { 'aria-label': `Value of ${key || 'the new variable'}`, spellcheck: 'false', autocomplete: 'off', placeholder: stored ? 'secret: type to replace' : 'value' } });
    const s = h('input', { type: 'checkbox', checked: secret, attrs: { 'aria-label': `${key || 'The new variable'} is secret` } });
    const del = h('button', { type: 'button', class: 'icon', attrs: { 'aria-label': `Remove ${key || 'this variable'}`, title: 'Remove' } }, '×');
    const r = h('div', { class: 'env-row' }, k, v, h('label', { class: 'check secret' }, s, ' secret'), del);
    r.stored = stored;
    if (key) r.dataset.key = key;
    k.addEventListener('input', () => {
      v.setAttribute('aria-label', `Value of ${k.value || 'the new variable'}`);
      s.setAttribute('aria-label', `${k.value || 'The new variable'} is secret`);
      del.setAttribute('aria-label', `Remove ${k.value || 'this variable'}`);
    });
    s.addEventListener('change', () => { v.type = s.checked ? 'password' : 'text'; });
    del.addEventListener('click', () => { r.remove(); if (!rowsBox.querySelector('.env-row')) rowsBox.append(row()); });
    return r;
  }

  function fillRowsFrom(next) {
    replace(rowsBox, Object.keys(next).sort().map((k) => {
      const n = next[k];
      if (!n.secret) return row(k, n.value);
      const r = row(k, null, true);
      if (n.value !== undefined) r.querySelectorAll('input')[1].value = n.value;
      return r;
    }));
    if (!Object.keys(next).length) rowsBox.append(row());
  }

  function fillRows(env) {
    replace(rowsBox, Object.keys(env).sort().map((k) => (isSecret(env[k]) ? row(k, null, true) : row(k, env[k]))));
    if (!Object.keys(env).length) rowsBox.append(row());
  }

  function plainOf(env) {
    return Object.fromEntries(Object.entries(env).filter(([, v]) => !isSecret(v)));
  }

  function fillBulk(next) {
    const plain = next ? Object.fromEntries(Object.entries(next).filter(([, n]) => !n.secret).map(([k, n]) => [k, n.value]))
      : plainOf(current);
    bulk.value = formatEnv(plain);
    const secrets = (next ? Object.keys(next).filter((k) => next[k].secret) : Object.keys(current).filter((k) => isSecret(current[k]))).sort();
    secretNote.textContent = secrets.length ? `Secret variables, kept as they are (edit them in the rows view): ${secrets.join(', ')}` : '';
    secretNote.hidden = !secrets.length;
  }

  function fromRows() {
    const next = {};
    for (const r of rowsBox.querySelectorAll('.env-row')) {
      const [k, v, s] = r.querySelectorAll('input');
      const key = k.value.trim();
      if (!key && !v.value) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) { k.focus(); throw new Error(`'${key}' is not a valid variable name`); }
      if (key in next) { k.focus(); throw new Error(`${key} is listed twice`); }
      next[key] = { secret: s.checked, value: r.stored && v.value === '' ? undefined : v.value };
    }
    return next;
  }

  // The text view edits the plain variables; the secrets are those the rows had when it
  // was opened (`carried`).
  function fromBulk() {
    const next = { ...carried };
    for (const [k, v] of Object.entries(parseEnv(bulk.value))) next[k] = { secret: false, value: v };
    return next;
  }

  function setMode(m) {
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

  // Switching views carries the edits over: plain variables as text, the secrets (and any
  // typed into the rows) kept aside, since the text view shows none, and back in the rows.
  const storedSecrets = () => Object.fromEntries(Object.keys(current).filter((k) => isSecret(current[k])).map((k) => [k, { secret: true, value: undefined }]));
  let carried = storedSecrets();
  rowsTab.addEventListener('click', () => {
    if (mode === 'rows') return;
    let next;
    try { next = fromBulk(); } catch (err) { return showError(err.message); }
    fillRowsFrom(next);
    setMode('rows');
  });
  bulkTab.addEventListener('click', () => {
    if (mode === 'bulk') return;
    let next;
    try { next = fromRows(); } catch (err) { return showError(err.message); }
    carried = Object.fromEntries(Object.entries(next).filter(([, n]) => n.secret));
    fillBulk(next);
    setMode('bulk');
  });
  add.addEventListener('click', () => { const r = row(); rowsBox.append(r); r.querySelector('input').focus(); });
  revert.addEventListener('click', () => { carried = storedSecrets(); fillRows(current); fillBulk(); status.hidden = true; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.hidden = true;
    let patch;
    try { patch = envChanges(current, mode === 'rows' ? fromRows() : fromBulk()); } catch (err) { return showError(err.message); }
    if (!Object.keys(patch).length) return showError('Nothing changed.');
    save.disabled = true;
    try {
      const a = await api('PATCH', `/apps/${encodeURIComponent(name)}`, { env: patch });
      current = { ...(a.env || {}) };
      carried = storedSecrets();
      fillRows(current);
      fillBulk();
      say('Saved: the app is rebuilding with the new environment.');
      refresh();
    } catch (err) {
      showError(err.message);
    } finally {
      save.disabled = false;
    }
  });
  fillRows(current);
  fillBulk();
  return () => {};
}
