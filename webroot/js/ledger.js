// Ledger explorer: newest first, paged with before=, filtered by kind; an event opens to its full
// JSON with hash and prev_hash; Verify shows the chain report.

import { NEWEST, eventsBefore, getJson } from './api.js';

const PAGE = 25;
const $ = id => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function when(ts) {
  const d = new Date(String(ts).replace(/(\.\d{3})\d+/, '$1'));
  if (isNaN(d)) return String(ts ?? '');
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A one-line description of an event for the list. */
function summary(e) {
  const m = e.meta ?? {};
  const content = (e.content ?? '').replace(/\s+/g, ' ').trim();
  switch (e.kind) {
    case 'autonomy_tick':
      return `tick ${m.tick ?? '?'} · IAS ${Number(m.telemetry?.IAS ?? 0).toFixed(3)} · GAS ${Number(m.telemetry?.GAS ?? 0).toFixed(3)}`
        + (m.reflect ? (m.reflect.did ? ' · reflected' : ' · no reflection') : '');
    case 'trait_update':
      return `${m.trait ?? '?'} ${Number(m.delta) >= 0 ? '+' : ''}${m.delta ?? ''}${m.reason ? ' · ' + m.reason : ''}`;
    case 'stage_update':
      return `${m.from ?? 'start'} → ${m.to ?? '?'}`;
    case 'reflection_skipped':
      return `skipped: ${String(m.reason ?? '').replace(/_/g, ' ')}`;
    case 'identity_adopt':
      return `adopted the name ${m.name ?? content}`;
    default:
      return content || JSON.stringify(m);
  }
}

export class Ledger {
  constructor({ toast }) {
    this.toast = toast;
    this.list = $('events');
    this.kind = '';
    this.cursors = [NEWEST]; // the "before" of each page visited; the last is the current page
    this.next = null; // the "before" of the next older page, or null at the oldest
    this.newestKnown = 0;
    this.latest = 0; // the newest id the page knows of (from snapshots)
    this.loading = false;
    this.active = false;
    $('kind').addEventListener('change', () => {
      this.kind = $('kind').value;
      this.cursors = [NEWEST];
      this.load();
    });
    $('older').addEventListener('click', () => {
      if (this.next == null) return;
      this.cursors.push(this.next);
      this.load();
    });
    $('newer').addEventListener('click', () => {
      if (this.cursors.length > 1) this.cursors.pop();
      this.load();
    });
    $('new-events').addEventListener('click', () => {
      this.cursors = [NEWEST];
      this.load();
    });
    $('verify').addEventListener('click', () => this.verify());
  }

  /** Called when the ledger view is shown; loads the first page once. */
  show() {
    this.active = true;
    if (!this.loadedOnce) this.load();
    this.showLastVerification();
  }

  onSnapshot(snapshot) {
    this.latest = Math.max(this.latest, snapshot?.last_event_id ?? 0);
    this.updateNewBanner();
  }

  updateNewBanner() {
    const banner = $('new-events');
    const onNewest = this.cursors.length === 1;
    const fresh = this.latest - this.newestKnown;
    if (this.loadedOnce && fresh > 0) {
      banner.hidden = false;
      banner.textContent = onNewest
        ? `${fresh} new event${fresh === 1 ? '' : 's'} since this page loaded · show`
        : `Newer events exist · back to the newest`;
    } else {
      banner.hidden = true;
    }
  }

  async load() {
    if (this.loading) return;
    this.loading = true;
    const before = this.cursors[this.cursors.length - 1];
    try {
      const page = await eventsBefore(before, PAGE, this.kind || undefined);
      this.loadedOnce = true;
      const events = page.events ?? [];
      this.next = events.length === PAGE && page.next_before != null && page.next_before > 0 ? page.next_before : null;
      if (this.next != null && events.length && events[events.length - 1].id <= 1) this.next = null;
      if (this.cursors.length === 1) this.newestKnown = Math.max(page.last_id ?? 0, events[0]?.id ?? 0);
      this.latest = Math.max(this.latest, page.last_id ?? 0);
      this.render(events);
    } catch (e) {
      this.list.replaceChildren(el('li', 'none', `Could not load events: ${e.message}`));
    } finally {
      this.loading = false;
      this.updateNewBanner();
    }
  }

  render(events) {
    this.list.replaceChildren();
    if (!events.length) {
      this.list.append(el('li', 'none', this.kind ? `No ${this.kind} events yet.` : 'The ledger is empty.'));
    }
    for (const e of events) this.list.append(this.row(e));
    $('newer').disabled = this.cursors.length <= 1;
    $('older').disabled = this.next == null;
    const first = events[0]?.id;
    const last = events[events.length - 1]?.id;
    $('page-info').textContent = events.length ? `#${first} … #${last}` : '';
    this.list.scrollTop = 0;
  }

  row(e) {
    const li = el('li', 'event');
    li.dataset.id = e.id;
    li.dataset.kind = e.kind;
    const details = el('details');
    const head = el('summary');
    head.append(el('span', 'ev-id', `#${e.id}`), el('span', 'ev-kind', e.kind), el('span', 'ev-time', when(e.ts)));
    head.append(el('span', 'ev-summary', summary(e)));
    details.append(head);
    details.addEventListener('toggle', () => {
      if (details.open && !details.dataset.filled) {
        details.dataset.filled = '1';
        details.append(this.detail(e));
      }
    }, { once: false });
    li.append(details);
    return li;
  }

  detail(e) {
    const box = el('div', 'ev-detail');
    const dl = el('dl', 'hashes');
    dl.append(el('dt', null, 'hash'), el('dd', 'mono', e.hash ?? '–'));
    dl.append(el('dt', null, 'prev_hash'), el('dd', 'mono', e.prev_hash ?? '(none: the first event)'));
    dl.append(el('dt', null, 'time'), el('dd', 'mono', e.ts ?? ''));
    box.append(dl);
    const pre = el('pre', 'json', JSON.stringify(e, null, 2));
    box.append(pre);
    const copy = el('button', 'link-button', 'Copy JSON');
    copy.type = 'button';
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(JSON.stringify(e, null, 2));
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Select the text to copy';
      }
    });
    box.append(copy);
    return box;
  }

  /** Shows the page that starts at an event, with the event open. */
  async goTo(id) {
    this.kind = '';
    $('kind').value = '';
    this.cursors = [NEWEST, id + 1];
    await this.load();
    const details = this.list.querySelector(`li.event[data-id="${id}"] details`);
    if (details) {
      details.open = true;
      details.scrollIntoView({ block: 'nearest' });
    }
  }

  async verify() {
    const box = $('verify-report');
    const button = $('verify');
    box.hidden = false;
    box.className = 'verify-report running';
    const progress = el('span', null, 'Verifying the whole chain…');
    box.replaceChildren(progress);
    button.disabled = true;
    // The server runs one verification at a time (this request may join one already running): show how far it is.
    const poll = setInterval(async () => {
      try {
        const s = await getJson('/api/verify/status');
        if (s.running) progress.textContent = `Verifying the whole chain… ${s.checked} of ${s.up_to} events`;
      } catch {
        // the answer to /api/verify says what went wrong
      }
    }, 500);
    try {
      const r = await getJson('/api/verify');
      box.className = `verify-report ${r.ok ? 'ok' : 'broken'}`;
      const head = el('p', 'verify-head', r.ok
        ? `✓ Intact: all ${r.events} events hash correctly and each links to the one before (rule ${r.hash_rule}).`
        : `✗ Broken: ${r.break_count ?? (r.breaks ?? []).length} problem(s) in ${r.events} events (rule ${r.hash_rule}).`);
      box.replaceChildren(head);
      if (r.verified_at) {
        box.append(el('p', 'verify-when', `Verified up to event #${r.up_to} at ${new Date(r.verified_at).toLocaleString()}.`));
        this.showLastVerification();
      }
      if (!r.ok && (r.breaks ?? []).length) {
        const ul = el('ul', 'breaks');
        for (const b of r.breaks) {
          const li = el('li');
          const go = el('button', 'link-button', `#${b.id}`);
          go.type = 'button';
          go.title = 'Show this event';
          go.addEventListener('click', () => this.goTo(b.id));
          li.append(go, document.createTextNode(`: ${String(b.reason).replace(/_/g, ' ')}${b.detail ? ' · ' + b.detail : ''}`));
          ul.append(li);
        }
        box.append(ul);
      }
      const close = el('button', 'link-button', 'Hide');
      close.type = 'button';
      close.addEventListener('click', () => { box.hidden = true; });
      box.append(close);
    } catch (e) {
      box.className = 'verify-report broken';
      box.replaceChildren(el('p', null, `Could not verify: ${e.message}`));
    } finally {
      clearInterval(poll);
      button.disabled = false;
    }
  }

  /** The newest finished verification (at start-up, on request, or at import), beside the button. */
  async showLastVerification() {
    try {
      const { last } = await getJson('/api/verify/status');
      if (!last) return;
      $('verify-last').textContent = `Last verified ${new Date(last.verified_at).toLocaleString()}: `
        + `${last.ok ? 'intact' : 'broken'} up to event #${last.up_to}`;
    } catch {
      // not worth a message: the button still works
    }
  }
}
