// SPDX-License-Identifier: MIT
// The dashboard's entry: layout, client-side routes (History API; gasperd answers every
// non-API path with index.html), and the one event stream shared by all views.
import './csp.js';
import './styles.css';
import { api, session } from './api.js';
import { h, replace } from './dom.js';
import { events } from './events.js';
import { loginView, registerView } from './views/auth.js';
import { appsView } from './views/apps.js';
import { createView } from './views/create.js';
import { appView } from './views/app.js';
import { adminView } from './views/admin.js';

const routes = [
  [/^\/login$/, loginView, { public: true }],
  [/^\/register$/, registerView, { public: true }],
  [/^\/apps$/, appsView],
  [/^\/apps\/new$/, createView],
  [/^\/apps\/([a-z][a-z0-9-]*)(?:\/(overview|logs|metrics|deploys|env|hooks|terminal))?$/, appView],
  [/^\/admin$/, adminView],
];

let cleanup = null;
const root = document.getElementById('app');
const main = h('main', { id: 'main', tabIndex: -1 });
const nav = h('nav', { attrs: { 'aria-label': 'Main' } });
const live = h('span', { class: 'live', attrs: { role: 'status', 'aria-live': 'polite' } });
const header = h('header', { class: 'top' },
  h('a', { class: 'brand', href: '/apps' }, h('img', { src: '/assets/favicon.svg', alt: '', width: 24, height: 24 }), 'Gasper'),
  nav, live);
root.append(header, main);

events.onStatus((s) => {
  live.className = `live live-${s}`;
  live.textContent = s === 'closed' ? '' : s === 'live' ? 'live' : s === 'connecting' ? 'connecting…' : 'reconnecting…';
  live.title = s === 'live' ? 'Live updates are on' : 'Live updates are paused; the dashboard reconnects by itself';
});

function renderNav() {
  const user = session.user;
  const path = location.pathname;
  const link = (href, text, active) => h('a', { href, attrs: { 'aria-current': active ? 'page' : null } }, text);
  if (!user) {
    replace(nav, link('/login', 'Log in', path === '/login'), link('/register', 'Register', path === '/register'));
    return;
  }
  replace(nav,
    link('/apps', 'Apps', path === '/apps' || (path.startsWith('/apps/') && path !== '/apps/new')),
    link('/apps/new', 'New app', path === '/apps/new'),
    user.admin ? link('/admin', 'Admin', path === '/admin') : null,
    h('span', { class: 'account' },
      h('span', { class: 'who', title: user.email }, user.username, user.admin ? h('small', { class: 'role' }, 'admin') : null),
      h('button', { class: 'link', type: 'button', on: { click: logout } }, 'Log out')));
}

async function logout() {
  try { await api('POST', '/auth/logout'); } catch { /* the token may already be gone */ }
  session.clear();
  events.stop();
  navigate('/login');
}

export function navigate(path, { replace: rep = false } = {}) {
  if (rep) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function render() {
  if (cleanup) { try { cleanup(); } catch (e) { console.warn(e); } cleanup = null; }
  if (location.pathname === '/') history.replaceState(null, '', '/apps');
  const path = location.pathname.replace(/\/+$/, '') || '/';
  let match = null;
  let view = null;
  let opts = {};
  for (const [re, fn, o] of routes) {
    match = re.exec(path);
    if (match) { view = fn; opts = o || {}; break; }
  }
  if (!opts.public && !session.token) {
    const next = location.pathname + location.search;
    history.replaceState(null, '', next === '/' || next === '/apps' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
    return render();
  }
  if (session.token) events.start();
  renderNav();
  replace(main);
  if (!view) {
    document.title = 'Not found · Gasper';
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '/apps' }, 'Back to the apps')));
    return;
  }
  const result = view(main, match.slice(1), { navigate, events });
  cleanup = typeof result === 'function' ? result : null;
}

// Links inside the app navigate without a reload.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/api/') || a.pathname.startsWith('/assets/')) return;
  e.preventDefault();
  if (a.pathname + a.search !== location.pathname + location.search) navigate(a.pathname + a.search);
});
window.addEventListener('popstate', render);
window.addEventListener('gasper:logged-out', () => { events.stop(); navigate('/login'); });

// A reload keeps the session; refresh the user (admin flag) quietly.
if (session.token) {
  api('GET', '/users/me').then((u) => { session.setUser(u); renderNav(); }).catch(() => {});
}
render();
