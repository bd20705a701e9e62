// SPDX-License-Identifier: MIT
// The REST API on the same origin. The token lives in sessionStorage: it survives a
// reload of the tab but not the tab itself, and it is not sent by the browser on its own
// (a cookie would be, which would need CSRF protection); the API takes it as a Bearer
// header, and the two WebSockets as ?token= because browsers cannot set headers on them.

const TOKEN_KEY = 'gasper.token';
const USER_KEY = 'gasper.user';

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  get user() {
    try { return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
  },
  set(token, user) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  setUser(user) { sessionStorage.setItem(USER_KEY, JSON.stringify(user)); },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// Which form field an API error is about. The API's messages begin with the field's
// path ("git.url is not a git URL", "resources.cpus must be …", "env FOO must …");
// an explicit `field` in the error body wins when the API sends one.
const codeFields = {
  'invalid-name': 'name', 'name-taken': 'name', 'forbidden': 'git.url',
  'username-taken': 'username', 'email-taken': 'email', 'invalid-credentials': 'password',
};
export function errorField(code, message, explicit) {
  if (explicit) return explicit;
  if (codeFields[code]) return codeFields[code];
  const m = /^'?([a-z_]+(?:\.[a-z_]+)?)'?\b/.exec(message || '');
  if (!m) return null;
  const path = m[1];
  if (path === 'each' || path === 'nothing') return message.includes('build') ? 'build' : null;
  if (path === 'git' && /git is required/.test(message)) return 'git.url';
  return path;
}

export async function api(method, path, body, { signal, raw } = {}) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', 'gasperd does not answer: check that it runs');
  }
  if (raw && res.ok) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const err = json && json.error ? json.error : { code: `http-${res.status}`, message: text || res.statusText };
    if (res.status === 401 && err.code === 'unauthorized' && session.token) {
      session.clear();
      window.dispatchEvent(new CustomEvent('gasper:logged-out'));
    }
    throw new ApiError(res.status, err.code, err.message, errorField(err.code, err.message, err.field));
  }
  return json === null ? text : json;
}

export function wsUrl(path, params = {}) {
  const url = new URL(`/api/v1${path}`, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  if (session.token) url.searchParams.set('token', session.token);
  return url.toString();
}

// Preferences that should outlive the tab (log settings, filters): localStorage.
export const prefs = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem(`gasper.pref.${key}`);
      return v === null ? fallback : JSON.parse(v);
    } catch { return fallback; }
  },
  set(key, value) { localStorage.setItem(`gasper.pref.${key}`, JSON.stringify(value)); },
};
