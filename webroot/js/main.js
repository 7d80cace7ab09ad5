// Wires the page together: the /ws connection, the chat, the mind panel, the ledger, tabs and hints.

import { Connection } from './connection.js';
import { Chat } from './chat.js';
import { Mind } from './mind.js';
import { Ledger } from './ledger.js';
import { ApiError, getJson } from './api.js';

const $ = id => document.getElementById(id);

let lastEventId = 0;
let toastTimer = null;

function toast(message, kind = 'info') {
  const box = $('toast');
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

const mind = new Mind({ onName: () => chat?.refreshNames() });
const ledger = new Ledger({ toast });
let chat = null;

function setConnState(state, detail) {
  const box = $('conn');
  const text = $('conn-text');
  const retry = $('conn-retry');
  box.dataset.state = state;
  document.body.dataset.conn = state;
  retry.hidden = true;
  clearInterval(setConnState.countdown);
  $('composer-hint').textContent = state === 'waiting' || state === 'offline'
    ? 'Not connected: what you send now waits here and goes out when the connection is back'
    : state === 'unauthorized' ? 'Enter the access token above to chat'
      : 'Enter to send · Shift+Enter for a new line · Esc stops a reply · Markdown works';
  switch (state) {
    case 'open':
      text.textContent = 'Connected';
      box.title = 'Live: replies stream in and the mind panel updates as it changes';
      break;
    case 'connecting':
      text.textContent = 'Connecting…';
      break;
    case 'waiting':
    case 'offline': {
      const until = Date.now() + (detail ?? 0);
      const tick = () => {
        const s = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        text.textContent = state === 'offline' ? 'Offline · waiting for the network'
          : s > 0 ? `Disconnected · retrying in ${s} s` : 'Reconnecting…';
      };
      tick();
      setConnState.countdown = setInterval(tick, 500);
      retry.hidden = false;
      box.title = 'Lost the connection to the server; messages you type now are sent when it comes back';
      break;
    }
    case 'unauthorized':
      text.textContent = 'Needs a token';
      box.title = detail ?? '';
      $('auth-notice').hidden = false;
      $('chat-empty').hidden = true;
      break;
    default:
      text.textContent = state;
  }
}

let everConnected = false;
const conn = new Connection({
  onState: (state, detail) => {
    if (state !== 'open' && state !== 'connecting' && chat) chat.onDisconnected();
    setConnState(state, detail);
  },
  onRefused: () => probeToken(),
  onFrame: frame => {
    switch (frame.type) {
      case 'hello':
        noteSnapshot(frame.snapshot);
        chat.onHello(frame.conversation);
        if (everConnected) {
          mind.load();
          if (ledger.active) ledger.load();
        }
        everConnected = true;
        break;
      case 'snapshot':
        noteSnapshot(frame.snapshot);
        break;
      case 'message':
        lastEventId = Math.max(lastEventId, frame.event?.id ?? 0);
        chat.onMessage(frame.event);
        break;
      case 'tick':
        mind.onTick(frame);
        break;
      case 'turn_queued':
        chat.onQueued(frame);
        break;
      case 'turn_started':
        lastEventId = Math.max(lastEventId, frame.user_event_id ?? 0);
        chat.onStarted(frame);
        break;
      case 'token':
        chat.onToken(frame);
        break;
      case 'turn_done':
        (frame.event_ids ?? []).forEach(id => { lastEventId = Math.max(lastEventId, id); });
        chat.onDone(frame);
        break;
      case 'history':
        chat.onHistory(frame);
        break;
      case 'error':
        if (!chat.onError(frame) && frame.code !== 'unauthorized') {
          toast(`${frame.code}: ${frame.message}`, 'error');
        }
        break;
      default:
        break;
    }
  },
});

/**
 * The server refuses an unauthorized WebSocket upgrade with a 401 the page cannot read, so a socket
 * that never opened asks the API: a 401 there means the token (anything else: the server is down,
 * and the connection keeps retrying).
 */
async function probeToken() {
  try {
    await getJson('/api/snapshot');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      conn.halt();
      setConnState('unauthorized', e.message);
    }
  }
}

function noteSnapshot(snapshot) {
  if (!snapshot) return;
  lastEventId = Math.max(lastEventId, snapshot.last_event_id ?? 0);
  mind.update(snapshot);
  ledger.onSnapshot(snapshot);
}

chat = new Chat({ conn, lastEventId: () => lastEventId, mindName: () => mind.name(), toast });
$('conn-retry').addEventListener('click', () => conn.retryNow());
$('token-form').addEventListener('submit', e => {
  e.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set('token', $('token-input').value.trim());
  location.assign(url.href);
});

// Tabs: on a wide screen the chat stays in view and the tabs switch the side panel; on a narrow one
// they switch the whole view.
const wide = window.matchMedia('(min-width: 900px)');
function syncPressed() {
  const current = wide.matches ? document.body.dataset.side : document.body.dataset.view;
  for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-pressed', String(b.dataset.tab === current));
  if (current === 'ledger') ledger.show();
}
function showTab(tab) {
  document.body.dataset.view = tab;
  if (tab !== 'chat') document.body.dataset.side = tab;
  syncPressed();
  if (tab === 'chat') chat.scrollToBottom(true);
}
for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => showTab(b.dataset.tab));
wide.addEventListener('change', syncPressed);

// Hints: "?" badges show their text on hover, focus or tap.
const tooltip = $('tooltip');
function showHint(target) {
  tooltip.textContent = target.dataset.hint;
  tooltip.hidden = false;
  const r = target.getBoundingClientRect();
  const w = Math.min(300, window.innerWidth - 16);
  tooltip.style.maxWidth = w + 'px';
  const left = Math.max(8, Math.min(window.innerWidth - w - 8, r.left + r.width / 2 - w / 2));
  tooltip.style.left = left + 'px';
  tooltip.style.top = (r.bottom + 8 + window.scrollY) + 'px';
}
function hideHint() {
  tooltip.hidden = true;
}
document.addEventListener('pointerover', e => {
  const hint = e.target.closest?.('[data-hint]');
  if (hint) showHint(hint);
});
document.addEventListener('pointerout', e => {
  if (e.target.closest?.('[data-hint]')) hideHint();
});
document.addEventListener('focusin', e => {
  const hint = e.target.closest?.('[data-hint]');
  if (hint) showHint(hint);
});
document.addEventListener('focusout', hideHint);
document.addEventListener('click', e => {
  const hint = e.target.closest?.('[data-hint]');
  if (hint) showHint(hint);
  else hideHint();
});

syncPressed();
mind.load();
conn.connect();

// For the end-to-end test and for debugging from the console.
window.pmm = { conn, chat, mind, ledger, showTab };
