// SPDX-License-Identifier: MIT
// The .env text format: KEY=value lines, `export ` allowed, # comments, values in
// "double quotes" (with \n \" \\ escapes) or 'single quotes' (literal), else trimmed.

export function parseEnv(text) {
  const env = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`line ${i + 1}: expected KEY=value`);
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`line ${i + 1}: '${key}' is not a valid variable name`);
    let value = line.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      // A double-quoted value may span lines.
      let raw = value.slice(1);
      while (!/(^|[^\\])(\\\\)*"\s*(#.*)?$/.test(raw) && i + 1 < lines.length) raw += `\n${lines[++i]}`;
      const end = raw.lastIndexOf('"');
      if (end < 0) throw new Error(`line ${i + 1}: unterminated "`);
      value = raw.slice(0, end).replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    } else if (value.startsWith("'")) {
      const end = value.lastIndexOf("'");
      if (end <= 0) throw new Error(`line ${i + 1}: unterminated '`);
      value = value.slice(1, end);
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    env[key] = value;
  }
  return env;
}

export function formatEnv(env) {
  return Object.keys(env).sort().map((k) => {
    const v = env[k];
    if (v === null || v === undefined) return `${k}=`;
    return /^[A-Za-z0-9_./:@%+,-]*$/.test(v) ? `${k}=${v}`
      : `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  }).join('\n') + (Object.keys(env).length ? '\n' : '');
}
