// SPDX-License-Identifier: MIT
// A shell in the app's container: xterm.js over WS /api/v1/apps/{name}/terminal.
// Binary frames carry terminal bytes both ways (xterm decodes the UTF-8 it is given as
// Uint8Array); text frames are JSON control: {"resize":[cols,rows]} out, {"exit":code}
// in. The first size goes in the URL (?cols=&rows=), later ones follow the element's
// size (ResizeObserver + the fit addon), so the terminal fills its box instead of
// wrapping at 80 columns. Input goes out in 16 KiB frames paced by bufferedAmount, so a
// large paste never freezes the page.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { wsUrl } from '../api.js';
import { h, replace } from '../dom.js';

const CHUNK = 16 * 1024;
const HIGH_WATER = 256 * 1024;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function theme() {
  return {
    background: cssVar('--term-bg'), foreground: cssVar('--term-fg'), cursor: cssVar('--term-fg'),
    selectionBackground: cssVar('--term-selection'),
  };
}

export function terminalPanel(panel, { name }) {
  let ws = null;
  let exitCode = null;
  let alive = true;
  const queue = [];
  let pumpTimer = null;
  const encoder = new TextEncoder();

  const status = h('span', { class: 'muted', attrs: { role: 'status', 'aria-live': 'polite' } }, 'connecting…');
  const reconnect = h('button', { type: 'button', hidden: true }, 'Reconnect');
  const copy = h('button', { type: 'button', title: 'Copy the selection (Ctrl+Shift+C)' }, 'Copy');
  const paste = h('button', { type: 'button', title: 'Paste (Ctrl+Shift+V)' }, 'Paste');
  const box = h('div', { class: 'term', dataset: { testid: 'terminal' } });
  panel.append(
    h('div', { class: 'toolbar' }, h('h2', {}, 'Terminal'), status, reconnect, copy, paste,
      h('span', { class: 'hint' }, 'Ctrl+Shift+C copies, Ctrl+Shift+V pastes')),
    box);

  const term = new Terminal({
    cursorBlink: true, fontSize: 14, scrollback: 5000, allowProposedApi: false,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    theme: theme(),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(box);
  fit.fit();
  // Exposed for tests and for people debugging in the console.
  box.terminal = term;

  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    if (e.code === 'KeyC') {
      if (term.hasSelection()) navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      e.preventDefault();
      return false;
    }
    if (e.code === 'KeyV') return false;  // the browser pastes into xterm's textarea (bracketed if the shell asked)
    return true;
  });

  function pump() {
    pumpTimer = null;
    while (queue.length && ws && ws.readyState === WebSocket.OPEN) {
      if (ws.bufferedAmount > HIGH_WATER) { pumpTimer = setTimeout(pump, 15); return; }
      ws.send(queue.shift());
    }
  }

  function sendBytes(bytes) {
    for (let i = 0; i < bytes.length; i += CHUNK) queue.push(bytes.subarray(i, i + CHUNK));
    if (!pumpTimer) pump();
  }

  function sendControl(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  term.onData((data) => sendBytes(encoder.encode(data)));
  term.onBinary((data) => sendBytes(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
  term.onResize(({ cols, rows }) => sendControl({ resize: [cols, rows] }));

  function connect() {
    exitCode = null;
    queue.length = 0;
    reconnect.hidden = true;
    status.textContent = 'connecting…';
    fit.fit();
    const socket = new WebSocket(wsUrl(`/apps/${encodeURIComponent(name)}/terminal`, { cols: term.cols, rows: term.rows }));
    socket.binaryType = 'arraybuffer';
    ws = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      status.textContent = `connected · ${term.cols}×${term.rows}`;
      box.dataset.state = 'open';
      term.focus();
    };
    socket.onmessage = (m) => {
      if (typeof m.data === 'string') {
        let msg;
        try { msg = JSON.parse(m.data); } catch { return; }
        if (msg && typeof msg.exit === 'number') exitCode = msg.exit;
        return;
      }
      term.write(new Uint8Array(m.data));
    };
    socket.onerror = () => {};
    socket.onclose = (e) => {
      if (ws !== socket || !alive) return;
      ws = null;
      box.dataset.state = 'closed';
      if (exitCode !== null) {
        term.write(`\r\n\x1b[2m[the shell exited with code ${exitCode}]\x1b[0m\r\n`);
        status.textContent = `the shell exited with code ${exitCode}`;
        box.dataset.exit = String(exitCode);
      } else if (!opened) {
        status.textContent = 'could not open the terminal: the app must be running (and this gasperd must offer terminals)';
      } else {
        status.textContent = `the connection dropped${e.code && e.code !== 1006 ? ` (code ${e.code})` : ''}`;
      }
      reconnect.hidden = false;
      reconnect.textContent = exitCode !== null ? 'New session' : 'Reconnect';
    };
  }

  reconnect.addEventListener('click', () => { term.reset(); connect(); });
  copy.addEventListener('click', () => {
    if (term.hasSelection()) navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
    term.focus();
  });
  paste.addEventListener('click', async () => {
    try { term.paste(await navigator.clipboard.readText()); } catch { status.textContent = 'the browser did not allow reading the clipboard: use Ctrl+Shift+V'; }
    term.focus();
  });

  let fitTimer = null;
  const ro = new ResizeObserver(() => {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(() => {
      if (!box.clientWidth || !box.clientHeight) return;
      fit.fit();
      if (ws && ws.readyState === WebSocket.OPEN) status.textContent = `connected · ${term.cols}×${term.rows}`;
    }, 50);
  });
  ro.observe(box);
  const scheme = window.matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => { term.options.theme = theme(); };
  scheme.addEventListener('change', onScheme);
  connect();
  return () => {
    alive = false;
    ro.disconnect();
    clearTimeout(fitTimer);
    clearTimeout(pumpTimer);
    scheme.removeEventListener('change', onScheme);
    if (ws) { ws.onclose = null; ws.close(1000); }
    term.dispose();
  };
}
