// SPDX-License-Identifier: MIT
// Health checks and rollbacks as the forms and tables show them (pure: tested in node).

// The health object of a create or PATCH body from three inputs; null when all are empty
// (the default check: any HTTP answer on /).
export function healthBody(path, status, timeout) {
  const health = {};
  if (String(path ?? '').trim()) health.path = String(path).trim();
  if (String(status ?? '').trim() !== '') health.status = Number(status);
  if (String(timeout ?? '').trim() !== '') health.timeout = Number(timeout);
  return Object.keys(health).length ? health : null;
}

// "GET /healthz → 200 within 30 s", "any answer on /" for an app's health object.
export function healthText(health) {
  if (!health) return 'any answer on /';
  const path = health.path || '/';
  const custom = health.status != null || path !== '/';
  const expect = health.status != null ? String(health.status) : (custom ? '200-399' : 'any answer');
  const within = health.timeout != null ? ` within ${health.timeout} s` : '';
  return custom ? `GET ${path} → ${expect}${within}` : `any answer on /${within}`;
}

// How the history names what started a deploy.
export function triggerText(deploy) {
  if (deploy.trigger === 'rollback' && deploy.rollback_to) return `rollback to #${deploy.rollback_to}`;
  return deploy.trigger;
}

// The deploys one may roll back to: those that recorded a commit, except the one serving now
// (the newest that succeeded), which would be a rebuild of the same code.
export function rollbackTargets(deploys) {
  const live = deploys.find((d) => d.status === 'succeeded');
  return new Set(deploys.filter((d) => d.commit && d !== live && d.status === 'succeeded').map((d) => d.number));
}
