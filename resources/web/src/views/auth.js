// SPDX-License-Identifier: MIT
import { api, session } from '../api.js';
import { h } from '../dom.js';
import { field, FormErrors, errorBox } from '../form.js';

function nextPath() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/apps';
}

export function loginView(main, _params, { navigate }) {
  document.title = 'Log in · Gasper';
  if (session.token) { navigate('/apps', { replace: true }); return; }
  const general = errorBox();
  const username = field('username', 'Username', h('input', { type: 'text', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }));
  const password = field('password', 'Password', h('input', { type: 'password', required: true, attrs: { autocomplete: 'current-password' } }));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'card narrow', attrs: { novalidate: true } },
    h('h1', {}, 'Log in to Gasper'), general, username, password,
    h('div', { class: 'actions' }, submit, h('a', { href: '/register' }, 'Create an account')));
  const errors = new FormErrors(form, general);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    submit.disabled = true;
    try {
      const r = await api('POST', '/auth/login', { username: username.input.value.trim(), password: password.input.value });
      session.set(r.token, r.user);
      navigate(nextPath(), { replace: true });
    } catch (err) {
      if (err.code === 'invalid-credentials') err.field = 'password';
      errors.show(err);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  username.input.focus();
}

export function registerView(main, _params, { navigate }) {
  document.title = 'Register · Gasper';
  const general = errorBox();
  const username = field('username', 'Username', h('input', { type: 'text', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
    '2–32 characters: a–z, 0–9, “.”, “_”, “-”, starting with a letter');
  const email = field('email', 'E-mail', h('input', { type: 'email', required: true, attrs: { autocomplete: 'email' } }));
  const password = field('password', 'Password', h('input', { type: 'password', required: true, attrs: { autocomplete: 'new-password', minlength: 8 } }), 'at least 8 characters');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create account');
  const form = h('form', { class: 'card narrow', attrs: { novalidate: true } },
    h('h1', {}, 'Create a Gasper account'), h('p', { class: 'muted' }, 'The first account on a new gasperd becomes its admin.'),
    general, username, email, password,
    h('div', { class: 'actions' }, submit, h('a', { href: '/login' }, 'I have an account')));
  const errors = new FormErrors(form, general);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    submit.disabled = true;
    const body = { username: username.input.value.trim(), email: email.input.value.trim(), password: password.input.value };
    try {
      await api('POST', '/auth/register', body);
      const r = await api('POST', '/auth/login', { username: body.username, password: body.password });
      session.set(r.token, r.user);
      navigate('/apps', { replace: true });
    } catch (err) {
      errors.show(err);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  username.input.focus();
}
