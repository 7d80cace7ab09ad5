// The conversation: messages keyed by ledger event id (and by turn while a turn runs), so a resync
// after a reconnect, a history page, a repeated frame or the live `message` frame of the page's own
// turn never shows a message twice. Turns that were stopped or failed (turn_aborted, turn_failed)
// are noted under the user message they answer.

import { renderMarkdown } from './markdown.js';

const HISTORY_PAGE = 40;
const HELLO_PAGE = 50; // what the server's hello carries at most

const USER_KINDS = new Set(['user_message', 'user']);
const OUTCOME_KINDS = new Set(['turn_aborted', 'turn_failed']);
// A live user message that may be this page's own (same text as one being sent) waits at most this
// long for turn_started to tell whose it is.
const HOLD_MS = 5000;

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
    this.outcomes = new Map(); // user event id -> {kind, reason, partialChars, message, id}
    this.outcomeIds = new Set(); // ids of the turn_aborted / turn_failed events seen
    this.held = new Map(); // event id -> {event, timer}: live user messages that may be our own
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
    this.releaseHeld();
    this.updateStop();
  }

  onQueued(frame) {
    const entry = this.byClient.get(frame.id);
    if (!entry) return;
    entry.turn = frame.turn;
    entry.position = frame.position;
    this.byTurn.set(`${frame.turn}:user`, entry);
    this.setState(entry, 'queued');
    this.releaseHeld();
    this.updateStop();
  }

  onStarted(frame) {
    const entry = this.byClient.get(frame.id);
    if (!entry) return;
    entry.turn = frame.turn;
    this.byTurn.set(`${frame.turn}:user`, entry);
    this.assignId(entry, frame.user_event_id);
    this.setState(entry, 'sent');
    this.releaseHeld();
    let reply = this.byTurn.get(`${frame.turn}:assistant`);
    if (!reply && !entry.outcome) {
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
    const ended = frame.code === 'turn_aborted' || frame.code === 'turn_failed';
    if (ended && user.id != null) {
      // The turn started, so the ledger records how it ended (its `message` frame usually came first).
      const reason = frame.code === 'turn_aborted' ? 'cancelled'
        : (/^turn_failed: ([^:]+):/.exec(frame.message ?? '')?.[1] ?? 'error');
      this.noteOutcome({ kind: frame.code, reason, message: frame.message, turn: user.turn, userEventId: user.id });
    } else if (frame.code === 'turn_aborted') {
      this.setState(user, 'cancelled');
    } else {
      user.error = frame.code === 'rate_limited' ? 'Too many messages at once: wait a moment, then send again.'
        : frame.code === 'too_large' ? 'Too long to send: ' + frame.message
          : frame.message;
      this.setState(user, 'failed');
    }
    this.byClient.delete(frame.id);
    this.releaseHeld();
    this.updateStop();
    return true;
  }

  /**
   * A conversation event as it is appended, whoever started the turn (this page, another tab, POST
   * /api/chat, the event bus). Our own turn's events merge into what is already shown.
   */
  onMessage(event) {
    if (!event || typeof event.id !== 'number') return;
    if (USER_KINDS.has(event.kind) && !this.byEventId.has(event.id) && !this.held.has(event.id)) {
      const turn = event.meta?.turn;
      if (!(turn && this.byTurn.has(`${turn}:user`)) && this.pendingWithText(event.content, turn)) {
        // Perhaps ours, perhaps the same words from elsewhere: turn_started (or turn_queued) will say.
        this.held.set(event.id, { event, timer: setTimeout(() => this.releaseHeld(), HOLD_MS) });
        return;
      }
    }
    this.adoptLive(event);
  }

  /** Adopts a live event; a message from elsewhere gets a "thinking" reply until its answer arrives. */
  adoptLive(event) {
    const stick = this.nearBottom();
    const created = this.adopt(event);
    if (created && created.role === 'user' && created.turn && !created.outcome
      && !this.byTurn.has(`${created.turn}:assistant`)) {
      const reply = this.createEntry({ role: 'assistant', text: '', state: 'thinking', turn: created.turn, ts: null });
      reply.userEventId = created.id;
      reply.sort = created.id + 0.5;
      this.byTurn.set(`${created.turn}:assistant`, reply);
      this.place(reply);
    }
    this.updateEmpty();
    this.updateStop();
    if (stick) this.scrollToBottom(true);
  }

  /** Live user messages held back because they might be ours: now it is known (or it is time). */
  releaseHeld() {
    const held = [...this.held.values()].sort((a, b) => a.event.id - b.event.id);
    this.held.clear();
    for (const { event, timer } of held) {
      clearTimeout(timer);
      this.adoptLive(event);
    }
  }

  /** One of our messages, not yet in the ledger and not yet given a turn, with this text. */
  pendingWithText(text, turn) {
    for (const e of this.entries) {
      if (e.role === 'user' && e.id == null && e.text === text && e.state === 'sending' && (!e.turn || e.turn === turn)) return true;
    }
    return false;
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
    for (const id of this.outcomeIds) max = Math.max(max, id);
    return max;
  }

  oldestId() {
    let min = Infinity;
    for (const id of this.byEventId.keys()) min = Math.min(min, id);
    for (const id of this.outcomeIds) min = Math.min(min, id);
    return min;
  }

  /**
   * A conversation event from the ledger: matched to what is shown by id, then by turn, then (a
   * message of ours whose frames were lost with the connection) by text; else added. Returns the
   * entry when it added one.
   */
  adopt(event) {
    if (!event || typeof event.id !== 'number' || this.byEventId.has(event.id)) return null;
    if (OUTCOME_KINDS.has(event.kind)) {
      if (this.outcomeIds.has(event.id)) return null;
      this.outcomeIds.add(event.id);
      const meta = event.meta ?? {};
      this.noteOutcome({ kind: event.kind, reason: meta.reason, partialChars: meta.partial_chars, message: event.content,
        turn: meta.turn, userEventId: meta.user_event_id, id: event.id });
      return null;
    }
    const role = USER_KINDS.has(event.kind) ? 'user' : 'assistant';
    const turn = event.meta?.turn;
    let entry = turn ? this.byTurn.get(`${turn}:${role}`) : null;
    if (!entry && role === 'user') {
      for (const e of this.entries) {
        if (e.role === 'user' && e.id == null && e.text === event.content && (!e.turn || e.turn === turn)
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
        // A turn still running on this connection keeps its client id for turn_started and turn_done.
        if (entry.clientId && entry.state !== 'sending' && entry.state !== 'queued') this.byClient.delete(entry.clientId);
        this.setState(entry, 'sent');
      }
      this.updateStop();
      return null;
    }
    entry = this.createEntry({
      role, text: event.content ?? '', state: role === 'user' ? 'sent' : 'done', turn, ts: event.ts,
    });
    if (turn) this.byTurn.set(`${turn}:${role}`, entry);
    this.assignId(entry, event.id, false);
    this.place(entry);
    return entry;
  }

  /**
   * How a turn ended without a reply: noted under its user message (now, or when that message loads).
   * A reply bubble with part of the answer stays, marked stopped or failed; an empty one goes.
   */
  noteOutcome({ kind, reason, partialChars, message, turn, userEventId, id }) {
    const key = userEventId ?? `turn:${turn}`;
    const outcome = { ...(this.outcomes.get(key) ?? {}), kind, reason: reason ?? 'error' };
    if (partialChars != null) outcome.partialChars = partialChars;
    if (message) outcome.message = message;
    if (id != null) outcome.id = id;
    this.outcomes.set(key, outcome);
    const user = (userEventId != null ? this.byEventId.get(userEventId) : null) ?? (turn ? this.byTurn.get(`${turn}:user`) : null);
    const reply = turn ? this.byTurn.get(`${turn}:assistant`) : null;
    if (reply && reply.state !== 'done') {
      if (reply.text) {
        reply.error = outcome.message;
        this.setState(reply, kind === 'turn_aborted' ? 'stopped' : 'failed');
      } else {
        this.removeEntry(reply);
      }
    }
    if (user) {
      user.outcome = outcome;
      this.renderMeta(user);
    }
    this.updateStop();
  }

  removeEntry(entry) {
    this.entries.delete(entry);
    if (entry.id != null) this.byEventId.delete(entry.id);
    for (const [key, e] of this.byTurn) if (e === entry) this.byTurn.delete(key);
    this.renderQueue.delete(entry);
    entry.li.remove();
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
    if (entry.role === 'user') {
      const outcome = this.outcomes.get(id) ?? (entry.turn ? this.outcomes.get(`turn:${entry.turn}`) : null);
      if (outcome) entry.outcome = outcome;
    }
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
        add('Stopped · not saved', 'status warn').title = 'This reply was stopped; the ledger keeps only complete replies';
        break;
      case 'interrupted':
        add('Connection lost while it was answering', 'status warn');
        break;
      case 'sent':
        if (entry.outcome && !this.partialReplyShown(entry)) {
          const o = entry.outcome;
          const stopped = o.kind === 'turn_aborted';
          const note = add(stopped ? '(stopped)' : `(failed: ${String(o.reason ?? 'error').replace(/_/g, ' ')})`,
            `status outcome ${stopped ? 'warn' : 'error'}`);
          const partial = o.partialChars == null ? '' : o.partialChars > 0 ? ` after ${o.partialChars} characters`
            : ' before it said anything';
          note.title = (stopped ? `The reply was stopped${partial}; no reply was kept.`
            : `The model failed${partial}: ${o.message ?? o.reason}. No reply was kept.`)
            + (o.id != null ? ` (ledger event #${o.id})` : '');
        }
        break;
      default:
        break;
    }
    if (entry.id != null) {
      const time = add(clock(timeOf(entry.ts)), 'time');
      time.title = `Ledger event #${entry.id}`;
    }
  }

  /** Whether the part of a stopped or failed reply written so far is on screen (it says so itself). */
  partialReplyShown(user) {
    const reply = user.turn ? this.byTurn.get(`${user.turn}:assistant`) : null;
    return !!reply && !!reply.text && (reply.state === 'stopped' || reply.state === 'failed') && reply.li.isConnected;
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
