// SPDX-License-Identifier: MIT
// The dashboard's pure helpers, under node's test runner (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv, formatEnv } from '../src/envfile.js';
import { envChanges } from '../src/panels/env.js';
import { errorField } from '../src/api.js';

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
  ];
  for (const [code, message, field] of rows) assert.equal(errorField(code, message), field, message);
  assert.equal(errorField('invalid-body', 'x', 'port'), 'port', 'an explicit field wins');
});
