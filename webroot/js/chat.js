// The conversation: messages keyed by ledger event id (and by turn while a turn runs), so a resync
// after a reconnect, a history page or a repeated frame never shows a message twice.

import { renderMarkdown } from './markdown.js';

const HISTORY_PAGE = 40;
const HELLO_PAGE = 50; // what the server's hello carries at most
const NEWEST = Number.MAX_SAFE_INTEGER;

const USER_KINDS = new Set(['user_message', 'user']);

function timeOf(ts) {
  if (!ts) return new Date();
  const d = new Date(String(ts).replace(/(\.\d{3})\d+/, '$1'));
  return isNaN(d) ? new Date() : d;
}

function clock(date) {
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}


export class Chat {
  constructor({ conn, lastEventId, mindName, toast }) {
    this.conn = conn;
    this.lastEventId = lastEventId; // () => the newest ledger id the page has seen
    this.mindName = mindName;
    this.toast = toast;
    this.list = document.getElementById('message-list');
    this.scroller = document.getElementById('messages');
    this.edge = document.getElementById('history-edge');
    this.empty = document.getElementById('chat-empty');
    this.input = document.getElementById('input');
    this.sendButton = document.getElementById('send');
    this.stopButton = document.getElementById('stop');

    this.entries = new Set();
    this.byEventId = new Map();
    this.byTurn = new Map(); // `${turn}:user|assistant` -> entry
    this.byClient = new Map(); // client id -> user entry
    this.outbox = []; // user entries typed while disconnected
    this.counter = 0;
    this.loaded = false; // a hello has been merged
    this.atBeginning = false;
    this.historyPending = null; // {id, gapUntil}
    this.renderQueue = new Set();

    document.getElementById('composer').addEventListener('submit', e => {
      e.preventDefault();
      this.sendFromInput();
    });
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendFromInput();
      } else if (e.key === 'Escape') {
        this.stopRunning();
      }
    });
    this.input.addEventListener('input', () => this.autosize());
    this.stopButton.addEventListener('click', () => this.stopRunning());
    document.getElementById('suggestions').addEventListener('click', e => {
      const chip = e.target.closest('.chip');
      if (chip) this.send(chip.textContent.trim());
    });
    this.scroller.addEventListener('scroll', () => this.maybeLoadOlder(), { passive: true });
  }

  // ---- sending ----

  sendFromInput() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.autosize();
    this.send(text);
    this.input.focus();
  }

  send(text) {
    const clientId = `c${Date.now().toString(36)}-${++this.counter}`;
    const entry = this.createEntry({ role: 'user', text, clientId, state: 'waiting', ts: null });
    this.byClient.set(clientId, entry);
    this.place(entry);
    this.updateEmpty();
    this.transmit(entry);
    this.scrollToBottom(true);
  }

  transmit(entry) {
    entry.sentAfter = this.lastEventId();
    if (this.conn.send({ type: 'chat', id: entry.clientId, text: entry.text })) {
      this.setState(entry, 'sending');
    } else {
      if (!this.outbox.includes(entry)) this.outbox.push(entry);
      this.setState(entry, 'waiting');
    }
  }

  resend(entry) {
    this.outbox = this.outbox.filter(e => e !== entry);
    if (entry.clientId) this.byClient.delete(entry.clientId);
    entry.clientId = `c${Date.now().toString(36)}-${++this.counter}`;
    entry.error = null;
    this.byClient.set(entry.clientId, entry);
    this.transmit(entry);
  }

  stopRunning() {
    for (const entry of this.entries) {
      if (entry.role === 'assistant' && entry.mine && (entry.state === 'thinking' || entry.state === 'streaming')) {
        this.conn.send({ type: 'stop', turn: entry.turn });
        entry.stopRequested = true;
        this.renderMeta(entry);
      }
    }
  }

  cancelQueued(entry) {
    if (entry.turn) this.conn.send({ type: 'stop', turn: entry.turn });
  }

  // ---- frames ----

  onHello(conversation) {
    const firstLoad = !this.loaded;
    const newestBefore = this.newestId();
    const events = conversation ?? [];
    events.forEach(e => this.adopt(e));
    // Messages in flight when the connection dropped: delivered if the ledger shows them, else unsent.
    for (const entry of this.entries) {
      if (entry.role === 'user' && entry.state === 'uncertain') this.setState(entry, 'unsent');
    }
    if (firstLoad) {
      this.loaded = true;
      this.atBeginning = events.length < HELLO_PAGE;
      this.updateEdge();
      this.scrollToBottom(true);
      // Too few to scroll: fetch older ones straight away.
      requestAnimationFrame(() => {
        if (this.scroller.scrollHeight <= this.scroller.clientHeight) this.maybeLoadOlder();
      });
    } else if (events.length >= HELLO_PAGE && newestBefore > 0 && events[0].id > newestBefore) {
      // More was said while we were away than hello carries: page back to what we had.
      this.requestHistory(events[0].id, newestBefore);
    }
    const waiting = this.outbox.splice(0);
    waiting.forEach(entry => this.transmit(entry));
    this.updateEmpty();
    this.updateStop();
  }

  onDisconnected() {
    for (const entry of this.entries) {
      if (entry.role === 'user' && (entry.state === 'sending' || entry.state === 'queued')) {
        this.setState(entry, 'uncertain');
      } else if (entry.role === 'assistant' && (entry.state === 'thinking' || entry.state === 'streaming')) {
        entry.interruptedAt = Date.now();
        this.setState(entry, 'interrupted');
      }
    }
    this.historyPending = null;
    this.updateStop();
  }

  onQueued(frame) {
    const entry = this.byClient.get(frame.id);
    if (!entry) return;
    entry.turn = frame.turn;
    entry.position = frame.position;
    this.byTurn.set(`${frame.turn}:user`, entry);
    this.setState(entry, 'queued');
    this.updateStop();
  }

  onStarted(frame) {
    const entry = this.byClient.get(frame.id);
    if (!entry) return;
    entry.turn = frame.turn;
    this.byTurn.set(`${frame.turn}:user`, entry);
    this.assignId(entry, frame.user_event_id);
    this.setState(entry, 'sent');
    let reply = this.byTurn.get(`${frame.turn}:assistant`);
    if (!reply) {
      reply = this.createEntry({ role: 'assistant', text: '', state: 'thinking', turn: frame.turn, ts: null });
      reply.mine = true;
      reply.userEventId = frame.user_event_id;
      reply.sort = frame.user_event_id + 0.5;
      this.byTurn.set(`${frame.turn}:assistant`, reply);
      this.place(reply);
    }
    this.updateStop();
    this.scrollToBottom(false);
  }

  onToken(frame) {
    const entry = this.byTurn.get(`${frame.turn}:assistant`);
    if (!entry || entry.state === 'done') return;
    entry.text += frame.text ?? '';
    if (entry.state !== 'streaming') this.setState(entry, 'streaming');
    this.scheduleRender(entry);
  }

  onDone(frame) {
    const user = this.byClient.get(frame.id);
    const entry = this.byTurn.get(`${frame.turn}:assistant`);
    if (!entry) return;
    entry.text = frame.reply ?? entry.text;
    const ids = (frame.event_ids ?? []).filter(id => id !== entry.userEventId && (!entry.userEventId || id > entry.userEventId));
    if (ids.length) this.assignId(entry, Math.min(...ids));
    this.setState(entry, 'done');
    this.renderBody(entry);
    if (user) this.byClient.delete(frame.id);
    this.updateStop();
    this.scrollToBottom(false);
  }

  /** An error frame; true when it belonged to one of our messages. */
  onError(frame) {
    const user = frame.id != null ? this.byClient.get(frame.id) : null;
    if (!user) return false;
    const reply = user.turn ? this.byTurn.get(`${user.turn}:assistant`) : null;
    if (frame.code === 'turn_aborted') {
      if (reply) this.setState(reply, 'stopped');
      else this.setState(user, 'cancelled');
    } else if (frame.code === 'turn_failed') {
      if (reply) {
        reply.error = frame.message;
        this.setState(reply, 'failed');
      } else {
        user.error = frame.message;
        this.setState(user, 'failed');
      }
    } else {
      user.error = frame.code === 'rate_limited' ? 'Too many messages at once: wait a moment, then send again.'
        : frame.code === 'too_large' ? 'Too long to send: ' + frame.message
          : frame.message;
      this.setState(user, 'failed');
    }
    if (reply) this.renderBody(reply);
    this.byClient.delete(frame.id);
    this.updateStop();
    return true;
  }

  onHistory(frame) {
    const pending = this.historyPending;
    if (!pending || frame.id !== pending.id) {
      (frame.events ?? []).forEach(e => this.adopt(e));
      return;
    }
    this.historyPending = null;
    const events = frame.events ?? [];
    const anchor = this.scroller.scrollHeight - this.scroller.scrollTop;
    events.forEach(e => this.adopt(e));
    if (pending.gapUntil === undefined) {
      if (events.length < pending.limit) this.atBeginning = true;
      this.updateEdge();
      // Keep what the reader was looking at in place while older messages appear above it.
      this.scroller.scrollTop = this.scroller.scrollHeight - anchor;
    } else if (events.length >= pending.limit && events[0].id > pending.gapUntil) {
      this.requestHistory(events[0].id, pending.gapUntil);
    }
    this.updateEmpty();
  }

  /** After a change made elsewhere (another tab, a reply that finished while we were away). */
  syncTail() {
    if (!this.loaded || this.historyPending) return;
    this.requestHistory(NEWEST, this.newestId());
  }

  /** A reply cut off by a dropped connection may still finish on the server: look for it for a while. */
  needsTailSync() {
    for (const entry of this.entries) {
      if (entry.state === 'interrupted' && Date.now() - entry.interruptedAt < 120000) return true;
    }
    return false;
  }

  // ---- history ----

  maybeLoadOlder() {
    if (this.scroller.scrollTop > 120 || this.atBeginning || this.historyPending || !this.loaded) return;
    const oldest = this.oldestId();
    if (oldest === Infinity) return;
    this.requestHistory(oldest);
  }

  requestHistory(before, gapUntil) {
    const id = `h${++this.counter}`;
    const limit = HISTORY_PAGE;
    if (this.conn.send({ type: 'history', id, before, limit })) {
      this.historyPending = { id, limit, gapUntil };
      if (gapUntil === undefined) this.updateEdge(true);
    }
  }

  updateEdge(loading = false) {
    const hasMessages = this.byEventId.size > 0;
    this.edge.hidden = !hasMessages;
    this.edge.textContent = loading ? 'Loading earlier messages…'
      : this.atBeginning ? 'This is the beginning of the conversation.'
        : 'Scroll up for earlier messages';
  }

  // ---- entries ----

  newestId() {
    let max = 0;
    for (const id of this.byEventId.keys()) max = Math.max(max, id);
    return max;
  }

  oldestId() {
    let min = Infinity;
    for (const id of this.byEventId.keys()) min = Math.min(min, id);
    return min;
  }

  /** A conversation event from the ledger: matched to what is shown by id, then by turn; else added. */
  adopt(event) {
    if (!event || typeof event.id !== 'number' || this.byEventId.has(event.id)) return;
    const role = USER_KINDS.has(event.kind) ? 'user' : 'assistant';
    const turn = event.meta?.turn;
    let entry = turn ? this.byTurn.get(`${turn}:${role}`) : null;
    if (!entry && role === 'user') {
      for (const e of this.entries) {
        if (e.role === 'user' && e.id == null && e.text === event.content
          && ['sending', 'queued', 'uncertain', 'unsent'].includes(e.state) && (e.sentAfter ?? 0) < event.id) {
          entry = e;
          break;
        }
      }
    }
    if (entry) {
      entry.ts = event.ts;
      if (turn) {
        entry.turn = turn;
        this.byTurn.set(`${turn}:${role}`, entry);
      }
      this.assignId(entry, event.id);
      if (role === 'assistant') {
        entry.text = event.content ?? '';
        this.setState(entry, 'done');
        this.renderBody(entry);
      } else {
        this.outbox = this.outbox.filter(e => e !== entry);
        if (entry.clientId) this.byClient.delete(entry.clientId);
        this.setState(entry, 'sent');
      }
      this.updateStop();
      return;
    }
    entry = this.createEntry({
      role, text: event.content ?? '', state: role === 'user' ? 'sent' : 'done', turn, ts: event.ts,
    });
    if (turn) this.byTurn.set(`${turn}:${role}`, entry);
    this.assignId(entry, event.id, false);
    this.place(entry);
  }

  createEntry({ role, text, clientId, state, turn, ts }) {
    const li = document.createElement('li');
    li.className = `msg ${role}`;
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    const body = document.createElement('div');
    body.className = 'body md';
    bubble.append(body);
    const meta = document.createElement('div');
    meta.className = 'meta';
    li.append(bubble, meta);
    const entry = { role, text, clientId, state, turn, ts, id: null, sort: Infinity, li, body, meta };
    this.entries.add(entry);
    li.dataset.state = state;
    if (turn) li.dataset.turn = turn;
    this.renderBody(entry);
    this.renderMeta(entry);
    return entry;
  }

  assignId(entry, id, reposition = true) {
    if (typeof id !== 'number') return;
    if (entry.id != null) this.byEventId.delete(entry.id);
    entry.id = id;
    entry.sort = id;
    if (!entry.ts) entry.ts = new Date().toISOString();
    entry.li.dataset.eventId = String(id);
    this.byEventId.set(id, entry);
    if (reposition && entry.li.isConnected) this.place(entry);
    this.renderMeta(entry);
  }

  /** Inserts (or moves) an entry's node: ledger order, messages not yet in the ledger last. */
  place(entry) {
    const nodes = this.list.children;
    let before = null;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const other = nodes[i].__entry;
      if (other === entry) continue;
      if (other.sort > entry.sort) {
        before = nodes[i];
      } else {
        break;
      }
    }
    entry.li.__entry = entry;
    if (entry.li.nextSibling !== before || !entry.li.isConnected) this.list.insertBefore(entry.li, before);
    this.updateEdge(!!this.historyPending && this.historyPending.gapUntil === undefined);
  }

  setState(entry, state) {
    entry.state = state;
    entry.li.dataset.state = state;
    if (state === 'thinking' || state === 'streaming' || state === 'interrupted' || state === 'stopped' || state === 'failed') {
      this.renderBody(entry);
    }
    this.renderMeta(entry);
  }

  scheduleRender(entry) {
    this.renderQueue.add(entry);
    if (this.renderQueue.size === 1) {
      requestAnimationFrame(() => {
        const stick = this.nearBottom();
        for (const e of this.renderQueue) this.renderBody(e);
        this.renderQueue.clear();
        if (stick) this.scrollToBottom(true);
      });
    }
  }

  renderBody(entry) {
    const body = entry.body;
    if (entry.role === 'assistant' && entry.state === 'thinking' && !entry.text) {
      const thinking = document.createElement('span');
      thinking.className = 'thinking';
      thinking.textContent = 'thinking';
      const dots = document.createElement('span');
      dots.className = 'dots';
      dots.setAttribute('aria-hidden', 'true');
      for (let i = 0; i < 3; i++) dots.append(document.createElement('i'));
      thinking.append(dots);
      body.replaceChildren(thinking);
      return;
    }
    body.replaceChildren(renderMarkdown(entry.text));
    if (entry.role === 'assistant' && entry.state === 'streaming') {
      const caret = document.createElement('span');
      caret.className = 'caret';
      caret.setAttribute('aria-hidden', 'true');
      (body.lastElementChild && !['PRE', 'UL', 'OL', 'TABLE', 'DIV', 'HR'].includes(body.lastElementChild.tagName)
        ? body.lastElementChild : body).append(caret);
    }
    if (!entry.text && entry.role === 'assistant') {
      const none = document.createElement('p');
      none.className = 'muted';
      none.textContent = entry.state === 'stopped' ? '(stopped before it said anything)'
        : entry.state === 'failed' ? '(no reply)' : entry.state === 'interrupted' ? '(no reply yet)' : '';
      body.replaceChildren(none);
    }
  }

  renderMeta(entry) {
    const meta = entry.meta;
    meta.replaceChildren();
    const add = (text, className) => {
      const span = document.createElement('span');
      if (className) span.className = className;
      span.textContent = text;
      meta.append(span);
      return span;
    };
    const button = (text, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link-button';
      b.textContent = text;
      b.addEventListener('click', onClick);
      meta.append(b);
    };
    if (entry.role === 'assistant') add(this.mindName() || 'The mind', 'who');
    switch (entry.state) {
      case 'waiting':
        add('Not connected: will send when the connection is back', 'status warn');
        break;
      case 'sending':
        add('Sending…', 'status');
        break;
      case 'queued':
        add(`Queued · waits for ${entry.position > 1 ? entry.position + ' replies' : 'the reply'} ahead of it`, 'status');
        button('Cancel', () => this.cancelQueued(entry));
        break;
      case 'uncertain':
        add('Connection lost: checking whether it arrived…', 'status warn');
        break;
      case 'unsent':
        add('Not sent', 'status error');
        button('Send again', () => this.resend(entry));
        break;
      case 'cancelled':
        add('Cancelled before the mind saw it', 'status');
        break;
      case 'failed':
        add(entry.role === 'user' ? (entry.error || 'Not sent') : 'Failed: ' + (entry.error || 'the model did not answer'), 'status error');
        if (entry.role === 'user') button('Send again', () => this.resend(entry));
        break;
      case 'thinking':
      case 'streaming':
        add(entry.stopRequested ? 'Stopping…' : entry.state === 'thinking' ? 'Thinking…' : 'Writing…', 'status');
        break;
      case 'stopped':
        add('Stopped', 'status warn');
        break;
      case 'interrupted':
        add('Connection lost while it was answering', 'status warn');
        break;
      default:
        break;
    }
    if (entry.id != null) {
      const time = add(clock(timeOf(entry.ts)), 'time');
      time.title = `Ledger event #${entry.id}`;
    }
  }

  updateStop() {
    let running = false;
    for (const entry of this.entries) {
      if (entry.role === 'assistant' && entry.mine && (entry.state === 'thinking' || entry.state === 'streaming')) running = true;
    }
    this.stopButton.hidden = !running;
    document.body.classList.toggle('turn-running', running);
  }

  updateEmpty() {
    this.empty.hidden = !this.loaded || this.entries.size > 0;
  }

  refreshNames() {
    for (const entry of this.entries) if (entry.role === 'assistant') this.renderMeta(entry);
  }

  // ---- scrolling and input ----

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToBottom(force) {
    if (force || this.nearBottom()) {
      requestAnimationFrame(() => { this.scroller.scrollTop = this.scroller.scrollHeight; });
    }
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = Math.min(this.input.scrollHeight, 200) + 'px';
  }
}
