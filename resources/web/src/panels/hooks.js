// SPDX-License-Identifier: MIT
// Push to deploy: the app's webhook URL and secret (hidden until revealed) with copy buttons,
// what to paste where on GitHub, GitLab and Gitea/Forgejo, rotating the secret (after a
// confirmation: the old one stops working at once), branch polling, and the last deliveries
// with what came of them. Deliveries are fetched again when a deploy of the app ends.
import { api } from '../api.js';
import { h, replace, badge, timeEl } from '../dom.js';
import { confirmDialog } from '../dialog.js';

const outcomeState = { deployed: 'succeeded', queued: 'queued', ping: 'done', ignored: 'skipped', refused: 'failed', failed: 'failed' };

// One-line instructions per git host, with the field names they use.
export const providerSteps = [
  ['GitHub', 'Settings → Webhooks → Add webhook: Payload URL, Content type application/json, Secret, “Just the push event”.'],
  ['GitLab', 'Settings → Webhooks → Add new webhook: URL, the secret as “Secret token”, trigger “Push events”.'],
  ['Gitea / Forgejo', 'Settings → Webhooks → Add webhook → Gitea (or Forgejo): Target URL, POST, application/json, Secret, “Push events”.'],
];

export function outcomeBadge(outcome) {
  const b = badge(outcomeState[outcome] || 'skipped');
  b.textContent = outcome;
  b.dataset.outcome = outcome;
  return b;
}

async function copy(text, button) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = label; }, 1500);
}

export function hooksPanel(panel, { name, events, say }) {
  let alive = true;
  let hook = null;
  const status = h('p', { class: 'form-error', hidden: true, tabIndex: -1, attrs: { role: 'alert' } });
  const url = h('input', { id: 'hook-url', type: 'text', readOnly: true, class: 'mono', attrs: { spellcheck: 'false' } });
  const secret = h('input', { id: 'hook-secret', type: 'password', readOnly: true, class: 'mono', attrs: { spellcheck: 'false', autocomplete: 'off' } });
  const copyUrl = h('button', { type: 'button', attrs: { 'aria-label': 'Copy the webhook URL' } }, 'Copy');
  const reveal = h('button', { type: 'button', attrs: { 'aria-pressed': 'false', 'aria-controls': 'hook-secret' } }, 'Show');
  const copySecret = h('button', { type: 'button', attrs: { 'aria-label': 'Copy the webhook secret' } }, 'Copy');
  const rotate = h('button', { type: 'button', class: 'danger' }, 'New secret…');
  const branch = h('span', { class: 'mono' });
  const pollOn = h('input', { id: 'hook-poll-on', type: 'checkbox' });
  const pollSeconds = h('input', { id: 'hook-poll-seconds', type: 'number', min: 30, max: 86400, step: 1, value: 60, class: 'num-input' });
  const pollHint = h('p', { class: 'hint' });
  const savePoll = h('button', { type: 'submit' }, 'Save polling');
  const deliveries = h('div', { class: 'hook-deliveries' }, h('p', { class: 'muted' }, 'Loading…'));
  const refreshButton = h('button', { type: 'button' }, 'Refresh');

  panel.append(
    h('div', { class: 'row' }, h('h2', {}, 'Push to deploy'), refreshButton),
    h('p', { class: 'muted' }, 'A push to the app’s branch (', branch, ') rebuilds it. Add this webhook to the repository:'),
    status,
    h('div', { class: 'field' }, h('label', { attrs: { for: 'hook-url' } }, 'Webhook URL'),
      h('div', { class: 'copy-row' }, url, copyUrl)),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'hook-secret' } }, 'Secret'),
      h('div', { class: 'copy-row' }, secret, reveal, copySecret, rotate),
      h('p', { class: 'hint' }, 'GitHub, Gitea and Forgejo sign each delivery with it; GitLab sends it as its secret token.')),
    h('ul', { class: 'provider-steps' }, providerSteps.map(([who, what]) => h('li', {}, h('strong', {}, who), ': ', what))),
    h('form', { class: 'hook-poll', attrs: { novalidate: true }, on: { submit: (e) => { e.preventDefault(); savePolling(); } } },
      h('h3', {}, 'Polling'),
      h('p', { class: 'muted' }, 'Without a webhook (a host Gasper cannot be reached from), Gasper can ask the repository for the branch head and rebuild when it moves.'),
      h('div', { class: 'copy-row' },
        h('label', { class: 'check' }, pollOn, ' Poll the branch every'), pollSeconds, h('label', { attrs: { for: 'hook-poll-seconds' } }, 'seconds'), savePoll),
      pollHint),
    h('h3', {}, 'Recent deliveries'),
    deliveries);

  function show(hk) {
    hook = hk;
    url.value = hk.url;
    secret.value = hk.secret;
    branch.textContent = hk.branch || 'the default branch';
    branch.className = hk.branch ? 'mono' : '';
    pollOn.checked = hk.poll_seconds > 0;
    pollSeconds.min = hk.min_poll_seconds;
    if (hk.poll_seconds > 0) pollSeconds.value = hk.poll_seconds;
    else if (Number(pollSeconds.value) < hk.min_poll_seconds) pollSeconds.value = Math.max(60, hk.min_poll_seconds);
    pollSeconds.disabled = !pollOn.checked;
    pollHint.textContent = hk.poll_seconds > 0 ? `Polling every ${hk.poll_seconds} s.` : `Polling is off (at least ${hk.min_poll_seconds} s when on).`;
    if (!hk.deliveries.length) {
      replace(deliveries, h('p', { class: 'muted' }, 'No deliveries yet. GitHub and Gitea send a ping when the webhook is added.'));
      return;
    }
    const table = h('table', { class: 'responsive' },
      h('thead', {}, h('tr', {}, ['Time', 'From', 'Event', 'Branch', 'Commit', 'Outcome', 'Detail'].map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
      h('tbody', {}, hk.deliveries.map((d) => h('tr', { dataset: { outcome: d.outcome } },
        h('td', { dataset: { label: 'Time' } }, timeEl(d.at)),
        h('td', { dataset: { label: 'From' } }, d.source),
        h('td', { dataset: { label: 'Event' } }, d.event || '–'),
        h('td', { dataset: { label: 'Branch' }, class: 'mono' }, d.branch || '–'),
        h('td', { dataset: { label: 'Commit' }, class: 'mono' }, d.commit ? d.commit.slice(0, 12) : '–'),
        h('td', { dataset: { label: 'Outcome' } }, outcomeBadge(d.outcome), d.deploy ? ` #${d.deploy}` : ''),
        h('td', { dataset: { label: 'Detail' } }, d.detail)))));
    replace(deliveries, h('div', { class: 'table-wrap' }, table));
  }

  function fail(text) {
    status.textContent = text;
    status.hidden = !text;
    if (text) status.focus();
  }

  async function load() {
    try {
      const hk = await api('GET', `/apps/${encodeURIComponent(name)}/hooks`);
      if (alive) { fail(''); show(hk); }
    } catch (err) {
      if (alive) fail(`Could not load the webhook: ${err.message}`);
    }
  }

  async function savePolling() {
    const seconds = pollOn.checked ? Number(pollSeconds.value) : 0;
    if (pollOn.checked && (!Number.isInteger(seconds) || seconds < hook.min_poll_seconds || seconds > 86400)) {
      return fail(`Poll every ${hook.min_poll_seconds} to 86400 seconds.`);
    }
    savePoll.disabled = true;
    try {
      show(await api('PATCH', `/apps/${encodeURIComponent(name)}/hooks`, { poll_seconds: seconds }));
      fail('');
      say(seconds ? `Polling the branch every ${seconds} s.` : 'Polling is off.');
    } catch (err) {
      fail(err.message);
    } finally {
      savePoll.disabled = false;
    }
  }

  reveal.addEventListener('click', () => {
    const shown = secret.type === 'text';
    secret.type = shown ? 'password' : 'text';
    reveal.textContent = shown ? 'Show' : 'Hide';
    reveal.setAttribute('aria-pressed', String(!shown));
  });
  copyUrl.addEventListener('click', () => copy(url.value, copyUrl));
  copySecret.addEventListener('click', () => copy(secret.value, copySecret));
  pollOn.addEventListener('change', () => { pollSeconds.disabled = !pollOn.checked; });
  refreshButton.addEventListener('click', load);
  rotate.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Make a new webhook secret?',
      body: 'Deliveries signed with the current secret are refused from now on: paste the new one into the repository’s webhook settings.',
      confirm: 'Make a new secret', danger: true,
    });
    if (!ok) return;
    rotate.disabled = true;
    try {
      show(await api('POST', `/apps/${encodeURIComponent(name)}/hooks/rotate`));
      say('A new secret is in place: update the webhook in the repository’s settings.');
    } catch (err) {
      fail(`Could not make a new secret: ${err.message}`);
    } finally {
      rotate.disabled = false;
    }
  });

  const off = events.on((e) => {
    if (e.type === 'resync' || (e.app === name && (e.type === 'deploy.finished' || e.type === 'deploy.step'))) load();
  });
  load();
  return () => { alive = false; off(); };
}
