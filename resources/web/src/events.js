// SPDX-License-Identifier: MIT
// WS /api/v1/events, kept open while logged in: reconnects with exponential back-off
// (0.5 s doubling to 15 s, with jitter) and tells its listeners to resync after a gap,
// since events sent while it was away are lost.
import { api, session, wsUrl } from './api.js';

export class EventStream {
  constructor() {
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.ws = null;
    this.delay = 500;
    this.timer = null;
    this.stopped = true;
    this.everOpened = false;
    this.status = 'closed';
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close(1000);
      this.ws = null;
    }
    this.setStatus('closed');
  }

  // fn(event) for each event; fn({type: 'resync'}) after a reconnect.
  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  onStatus(fn) { this.statusListeners.add(fn); fn(this.status); return () => this.statusListeners.delete(fn); }

  setStatus(s) {
    this.status = s;
    for (const fn of this.statusListeners) fn(s);
  }

  emit(event) {
    for (const fn of [...this.listeners]) {
      try { fn(event); } catch (e) { console.warn('event listener failed', e); }
    }
  }

  connect() {
    if (this.stopped || !session.token) return;
    this.setStatus(this.everOpened ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(wsUrl('/events'));
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.delay = 500;
      this.setStatus('live');
      if (this.everOpened) this.emit({ type: 'resync' });
      this.everOpened = true;
    };
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      let event;
      try { event = JSON.parse(m.data); } catch { return; }
      if (event && typeof event.type === 'string') this.emit(event);
    };
    ws.onerror = () => {};  // onclose follows and says what to do
    ws.onclose = () => {
      this.ws = null;
      if (this.stopped) return;
      // Refused before it opened: maybe the token expired. Asking the API finds out, and
      // a 401 there logs the tab out (api.js) instead of retrying forever.
      if (!opened) api('GET', '/users/me').catch(() => {});
      this.setStatus('reconnecting');
      const wait = this.delay * (0.75 + Math.random() * 0.5);
      this.delay = Math.min(this.delay * 2, 15000);
      this.timer = setTimeout(() => this.connect(), wait);
    };
  }
}

export const events = new EventStream();
