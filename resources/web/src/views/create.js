// SPDX-License-Identifier: MIT
// The create form. The API validates; its error shows next to the field it names.
import { api } from '../api.js';
import { h } from '../dom.js';
import { field, FormErrors, errorBox } from '../form.js';
import { parseEnv } from '../envfile.js';
import { healthBody } from '../health.js';

export const languages = ['python', 'node', 'php', 'ruby', 'go', 'static'];
const runHints = {
  python: 'python3 app.py', node: 'node server.js', php: 'php -S 0.0.0.0:$PORT', ruby: 'ruby app.rb', go: './app', static: '(optional for static)',
};

export function createView(main, _params, { navigate }) {
  document.title = 'New app · Gasper';
  const general = errorBox();
  const f = {
    name: field('name', 'Name', h('input', { type: 'text', required: true, attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', maxlength: 40 } }),
      'A DNS label: it becomes the host name <name>.localhost'),
    language: field('language', 'Language', h('select', {}, languages.map((l) => h('option', { value: l }, l)))),
    url: field('git.url', 'Git URL', h('input', { type: 'text', required: true, attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: 'https://git.example.com/me/app.git' } }),
      'http(s)://, git://, ssh:// or user@host:path; a local path or file:// for admins'),
    branch: field('git.branch', 'Branch', h('input', { type: 'text', attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: 'the default branch' } })),
    token: field('git.token', 'Access token', h('input', { type: 'password', attrs: { autocomplete: 'off' } }), 'for a private repository; stored encrypted, never shown again'),
    build: field('build', 'Build commands', h('textarea', { rows: 3, attrs: { spellcheck: 'false', placeholder: 'pip install -r requirements.txt' } }), 'one command per line, run in /app'),
    run: field('run', 'Run command', h('input', { type: 'text', attrs: { spellcheck: 'false', placeholder: runHints.python } }),
      'it must listen on $PORT; leave it empty to use the web: line of the repository\'s Procfile (its release: line runs after the build)'),
    port: field('port', 'Port', h('input', { type: 'number', attrs: { min: 1, max: 65535, placeholder: '8080', inputmode: 'numeric' } })),
    env: field('env', 'Environment', h('textarea', { rows: 4, attrs: { spellcheck: 'false', placeholder: 'KEY=value' } }), '.env format: KEY=value per line'),
    memory: field('resources.memory_mb', 'Memory (MiB)', h('input', { type: 'number', attrs: { min: 16, step: 16, placeholder: 'default', inputmode: 'numeric' } })),
    healthPath: field('health.path', 'Health check path', h('input', { type: 'text', attrs: { spellcheck: 'false', placeholder: '/', autocomplete: 'off' } }),
      'the new container must answer it before it gets traffic; empty: any answer on /'),
    healthStatus: field('health.status', 'Expected status', h('input', { type: 'number', attrs: { min: 100, max: 599, placeholder: '200-399', inputmode: 'numeric' } })),
    healthTimeout: field('health.timeout', 'Health timeout (s)', h('input', { type: 'number', attrs: { min: 1, max: 600, placeholder: 'default', inputmode: 'numeric' } })),
    cpus: field('resources.cpus', 'CPUs', h('input', { type: 'number', attrs: { min: 0.01, step: 0.05, placeholder: 'default', inputmode: 'decimal' } })),
  };
  f.language.input.addEventListener('change', () => { f.run.input.placeholder = runHints[f.language.input.value]; });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create and deploy');
  const form = h('form', { class: 'card create', attrs: { novalidate: true, 'aria-labelledby': 'create-title' } },
    h('h1', { id: 'create-title' }, 'New app'), general,
    h('fieldset', {}, h('legend', {}, 'App'), h('div', { class: 'grid2' }, f.name, f.language)),
    h('fieldset', {}, h('legend', {}, 'Source'), f.url, h('div', { class: 'grid2' }, f.branch, f.token)),
    h('fieldset', {}, h('legend', {}, 'Build and run'), f.build, h('div', { class: 'grid2' }, f.run, f.port)),
    h('fieldset', {}, h('legend', {}, 'Health check'), f.healthPath, h('div', { class: 'grid2' }, f.healthStatus, f.healthTimeout)),
    h('fieldset', {}, h('legend', {}, 'Environment and limits'), f.env, h('div', { class: 'grid2' }, f.memory, f.cpus)),
    h('div', { class: 'actions' }, submit, h('a', { href: '/apps' }, 'Cancel')));
  const errors = new FormErrors(form, general);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    const body = {
      name: f.name.input.value.trim(),
      language: f.language.input.value,
      git: { url: f.url.input.value.trim() },
      build: f.build.input.value.split('\n').map((s) => s.trim()).filter(Boolean),
    };
    if (f.branch.input.value.trim()) body.git.branch = f.branch.input.value.trim();
    if (f.token.input.value) body.git.token = f.token.input.value;
    if (f.run.input.value.trim()) body.run = f.run.input.value.trim();
    if (f.port.input.value !== '') body.port = Number(f.port.input.value);
    const health = healthBody(f.healthPath.input.value, f.healthStatus.input.value, f.healthTimeout.input.value);
    if (health) body.health = health;
    try {
      if (f.env.input.value.trim()) body.env = parseEnv(f.env.input.value);
    } catch (err) {
      errors.show({ field: 'env', message: err.message });
      return;
    }
    const resources = {};
    if (f.memory.input.value !== '') resources.memory_mb = Number(f.memory.input.value);
    if (f.cpus.input.value !== '') resources.cpus = Number(f.cpus.input.value);
    if (Object.keys(resources).length) body.resources = resources;
    submit.disabled = true;
    try {
      const app = await api('POST', '/apps', body);
      navigate(`/apps/${app.name}`);
    } catch (err) {
      errors.show(err);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  f.name.input.focus();
}
