// The /ws connection: connects, reconnects with backoff (jittered, capped) after a server restart or
// a network drop, and notices a silent drop with a light heartbeat. Frames go to onFrame; state
// changes ("connecting", "open", "waiting", "offline") to onState. A socket that closes without ever
// opening calls onRefused: the server may be down, or it refused the upgrade (a 401 without its
// token, which a browser does not show to the page), so the page asks over HTTP which.

import { wsUrl } from './api.js';

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const HEARTBEAT_MS = 25000;
const HEARTBEAT_GRACE_MS = 10000;

export class Connection {
  constructor({ onFrame, onState, onRefused }) {
    this.onFrame = onFrame;
    this.onState = onState;
    this.onRefused = onRefused ?? (() => {});
    this.ws = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.retryAt = 0;
    this.heartbeat = null;
    this.lastFrameAt = 0;
    this.ready = false; // true from hello until the socket closes
    this.stopped = false;
    window.addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && !this.ws) this.retryNow();
    });
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ws) return;
    this.ready = false;
    this.onState('connecting');
    let ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = event => {
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        this.ready = true;
        this.attempt = 0;
        this.onState('open');
      }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      this.scheduleRetry();
      if (!opened) this.onRefused();
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry
    };
    this.lastFrameAt = Date.now();
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.checkAlive(), 5000);
  }

  /** Asks for a snapshot now and then; a connection that answers nothing for long is dropped. */
  checkAlive() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const quiet = Date.now() - this.lastFrameAt;
    if (quiet > HEARTBEAT_MS + HEARTBEAT_GRACE_MS) {
      this.drop();
    } else if (quiet > HEARTBEAT_MS) {
      this.send({ type: 'snapshot' });
    }
  }

  /** Closes the socket (if any) and reconnects with backoff, as after a network drop. */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    this.ready = false;
    clearInterval(this.heartbeat);
    try {
      ws.close();
    } catch {
      // already closing
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.onState(navigator.onLine === false ? 'offline' : 'waiting', delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Stops connecting (until retryNow): the server wants a token this page does not have. */
  halt() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  retryNow() {
    if (this.ws) return;
    this.stopped = false;
    this.attempt = Math.min(this.attempt, 1);
    this.connect();
  }

  /** Sends a frame when the connection is ready; returns whether it went out. */
  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.ready) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }
}
