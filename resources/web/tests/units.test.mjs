// SPDX-License-Identifier: MIT
// The dashboard's pure helpers, under node's test runner (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv, formatEnv } from '../src/envfile.js';
import { envChanges } from '../src/panels/env.js';
import { errorField } from '../src/api.js';
import { healthBody, healthText, triggerText, rollbackTargets } from '../src/health.js';
import { sshCommands } from '../src/ssh.js';

test('.env text parses the forms people write', () => {
  const env = parseEnv([
    '# a comment', '', 'PLAIN=value', 'export EXPORTED=yes', 'SPACED = trimmed  ', 'HASH=a # comment',
    'DQ="two words"', 'ESC="line1\\nline2 \\"q\\""', "SQ='$NOT_EXPANDED \\n'", 'EMPTY=', 'MULTI="a', 'b"',
  ].join('\n'));
  assert.deepEqual(env, {
    PLAIN: 'value', EXPORTED: 'yes', SPACED: 'trimmed', HASH: 'a', DQ: 'two words', ESC: 'line1\nline2 "q"',
    SQ: '$NOT_EXPANDED \\n', EMPTY: '', MULTI: 'a\nb',
  });
});

test('.env text rejects what is not KEY=value, naming the line', () => {
  assert.throws(() => parseEnv('OK=1\nnot a pair'), /line 2/);
  assert.throws(() => parseEnv('1BAD=x'), /not a valid variable name/);
  assert.throws(() => parseEnv('Q="open'), /unterminated/);
});

test('formatting and parsing again gives the same set', () => {
  const env = { A: 'plain', B: 'has space', C: 'quote " and \\ back', D: 'new\nline', E: '' };
  assert.deepEqual(parseEnv(formatEnv(env)), env);
});

test('the env patch removes missing keys, sends only changes, and leaves untouched secrets alone', () => {
  const plain = (value) => ({ secret: false, value });
  const keep = { secret: true, value: undefined };
  const current = { A: '1', B: '2', C: '3', S: { secret: true }, T: { secret: true } };
  assert.deepEqual(envChanges(current, { A: plain('1'), B: plain('two'), D: plain('4'), S: keep }),
    { B: 'two', C: null, D: '4', T: null });
  assert.deepEqual(envChanges(current, { A: plain('1'), B: plain('2'), C: plain('3'), S: keep, T: keep }), {});
  // A new secret value, a plain variable made secret (its stored value kept), a secret made plain.
  assert.deepEqual(envChanges(current, { A: { secret: true, value: undefined }, B: plain('2'), C: plain('3'), S: { secret: true, value: 'new' }, T: plain('t') }),
    { A: { secret: true }, S: { value: 'new', secret: true }, T: 't' });
  assert.throws(() => envChanges(current, { A: plain('1'), N: keep }), /N: give the secret a value/);
  assert.throws(() => envChanges({ S: { secret: true } }, { S: { secret: false, value: undefined } }), /type its value/);
});

test('API errors are placed on the field their message names', () => {
  const rows = [
    ['invalid-body', 'git.url is not a git URL', 'git.url'],
    ['invalid-body', 'resources.cpus must be a number from 0.01 to 2', 'resources.cpus'],
    ['invalid-body', 'run is required: the command that starts the app', 'run'],
    ['invalid-body', 'env name \'1X\' is not a valid variable name', 'env'],
    ['invalid-body', 'each build command must be a non-empty string', 'build'],
    ['invalid-name', 'app names are DNS labels', 'name'],
    ['name-taken', "the name 'hello' is taken", 'name'],
    ['forbidden', 'local git URLs are for admins', 'git.url'],
    ['email-taken', 'that e-mail is registered', 'email'],
    ['invalid-body', 'health.path must be a URL path starting with /', 'health.path'],
    ['invalid-body', 'health.status must be an HTTP status from 100 to 599', 'health.status'],
  ];
  for (const [code, message, field] of rows) assert.equal(errorField(code, message), field, message);
  assert.equal(errorField('invalid-body', 'x', 'port'), 'port', 'an explicit field wins');
});

import { foldSample } from '../src/metricsfold.js';

function series(at, cpu) {
  const keys = ['cpu_percent', 'cpu_core_percent', 'memory_bytes', 'memory_limit_bytes', 'rx_bytes_per_s',
    'tx_bytes_per_s', 'block_read_bytes_per_s', 'block_write_bytes_per_s', 'restarts', 'up'];
  const s = {};
  for (const k of keys) s[k] = at.map(() => null);
  s.cpu_percent = cpu.slice();
  s.restarts = at.map(() => 0);
  return { at: at.slice(), counts: at.map(() => 1), series: s };
}
const sample = (iso, cpu, restarts = 0) => ({ type: 'app.metrics', at: iso, cpu_percent: cpu, restarts, up: true, memory_bytes: 1 });

test('a live sample in the last bucket is averaged into it, restarts keep their maximum', () => {
  const d = series([600, 660], [10, 20]);
  assert.equal(foldSample(d, sample('1970-01-01T00:11:30Z', 40, 2), 60, 3600), true);
  assert.deepEqual(d.at, [600, 660]);
  assert.equal(d.series.cpu_percent[1], 30);
  assert.equal(d.counts[1], 2);
  assert.equal(d.series.restarts[1], 2);
});

test('a live sample past the last bucket starts a new one, with nulls for the gap, and old buckets drop', () => {
  const d = series([600, 660], [10, 20]);
  foldSample(d, sample('1970-01-01T00:14:05Z', 50), 60, 120);
  assert.deepEqual(d.at, [720, 780, 840]);
  assert.deepEqual(d.series.cpu_percent, [null, null, 50]);
  assert.equal(d.series.up[2], 1);
});

test('a live sample older than the series is ignored', () => {
  const d = series([600, 660], [10, 20]);
  assert.equal(foldSample(d, sample('1970-01-01T00:05:00Z', 99), 60, 3600), false);
  assert.deepEqual(d.series.cpu_percent, [10, 20]);
});

test('health checks go into bodies only when set, and read as what they check', () => {
  assert.equal(healthBody('', '', ''), null, 'all empty: the default check');
  assert.deepEqual(healthBody(' /healthz ', '200', ''), { path: '/healthz', status: 200 });
  assert.deepEqual(healthBody('', '', '30'), { timeout: 30 });
  assert.equal(healthText(null), 'any answer on /');
  assert.equal(healthText({ path: '/', status: null, timeout: null }), 'any answer on /');
  assert.equal(healthText({ path: '/healthz', status: null, timeout: null }), 'GET /healthz → 200-399');
  assert.equal(healthText({ path: '/healthz', status: 204, timeout: 10 }), 'GET /healthz → 204 within 10 s');
});

test('the history names rollbacks and offers only earlier good deploys to roll back to', () => {
  assert.equal(triggerText({ trigger: 'rollback', rollback_to: 3 }), 'rollback to #3');
  assert.equal(triggerText({ trigger: 'rebuild', rollback_to: null }), 'rebuild');
  const sha = (n) => String(n).repeat(40);
  const deploys = [
    { number: 5, status: 'failed', commit: sha(5) },
    { number: 4, status: 'succeeded', commit: sha(4) },  // serving now
    { number: 3, status: 'succeeded', commit: sha(3) },
    { number: 2, status: 'failed', commit: null },
    { number: 1, status: 'succeeded', commit: sha(1) },
  ];
  assert.deepEqual([...rollbackTargets(deploys)], [3, 1]);
  assert.deepEqual([...rollbackTargets([])], []);
});

test('the ssh and sftp lines use the page host, brackets for IPv6, nothing without the service', () => {
  assert.deepEqual(sshCommands({ port: 2222, user: 'hello' }, 'paas.example.org'),
    { ssh: 'ssh -p 2222 hello@paas.example.org', sftp: 'sftp -P 2222 hello@paas.example.org' });
  assert.equal(sshCommands({ port: 2200, user: 'a' }, '::1').sftp, 'sftp -P 2200 a@[::1]');
  assert.equal(sshCommands({ port: 2200, user: 'a' }, '[::1]').ssh, 'ssh -p 2200 a@[::1]');
  assert.equal(sshCommands(null, 'h'), null);
  assert.equal(sshCommands({ port: 2222, user: 'a' }, ''), null);
});
