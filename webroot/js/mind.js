// The mind, live: name, stage and its history, IAS/GAS (with the chart), traits, commitments, ticks.

import { NEWEST, eventsBefore } from './api.js';
import { MetricsChart } from './chart.js';

const TRAITS = [
  ['openness', 'Openness', 'Curious and open to new ideas'],
  ['conscientiousness', 'Conscientiousness', 'Organised, follows through'],
  ['extraversion', 'Extraversion', 'Outgoing and energetic'],
  ['agreeableness', 'Agreeableness', 'Cooperative and kind'],
  ['neuroticism', 'Neuroticism', 'Prone to worry; lower is calmer'],
];

// Lower bounds (IAS, GAS) of each stage over the last 10 ticks' means; moving up needs +0.03 on both.
const STAGES = { S0: [0, 0], S1: [0.35, 0.20], S2: [0.50, 0.35], S3: [0.70, 0.55], S4: [0.85, 0.75] };

// Why a tick did or did not reflect, in plain words.
const REFLECT_REASONS = {
  cadence: 'on schedule',
  gas_jump: 'growth jumped',
  min_turns: 'waiting for more conversation',
  min_time: 'too soon since the last one',
  model_failed: 'the model did not answer',
};

const $ = id => document.getElementById(id);

function fmt(v, digits = 3) {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

function ago(ts) {
  if (!ts) return '';
  const d = new Date(String(ts).replace(/(\.\d{3})\d+/, '$1'));
  if (isNaN(d)) return '';
  const s = Math.max(0, (Date.now() - d.getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

export class Mind {
  constructor({ onName }) {
    this.onName = onName;
    this.snapshot = null;
    this.stage = null;
    this.lastTick = null;
    this.chart = new MetricsChart($('chart'), $('chart-caption'));
    this.buildTraits();
  }

  buildTraits() {
    const ul = $('traits');
    this.traitBars = {};
    for (const [key, label, hint] of TRAITS) {
      const li = document.createElement('li');
      li.className = 'trait';
      li.title = hint;
      const name = document.createElement('span');
      name.className = 'trait-name';
      name.textContent = label;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.setAttribute('role', 'meter');
      bar.setAttribute('aria-label', label);
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', '1');
      const fill = document.createElement('span');
      fill.className = 'fill';
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'trait-value';
      value.textContent = '0.50';
      li.append(name, bar, value);
      ul.append(li);
      this.traitBars[key] = { bar, fill, value };
    }
  }

  name() {
    return this.snapshot?.identity?.name || null;
  }

  update(snapshot) {
    if (!snapshot) return;
    const previousName = this.name();
    this.snapshot = snapshot;
    const name = this.name();
    $('mind-name').textContent = name || 'Unnamed mind';
    $('mind-name').classList.toggle('unnamed', !name);
    $('mind-name').title = name ? 'The name this mind adopted for itself'
      : 'No name yet. Give it one: say "your name is …"';
    $('avatar').textContent = name ? [...name][0].toUpperCase() : '?';
    document.title = name ? `${name} · PMM Server` : 'PMM Server';
    if (name !== previousName) this.onName(name);

    const traits = snapshot.identity?.traits ?? {};
    for (const [key] of TRAITS) {
      const v = Number(traits[key] ?? 0.5);
      const t = this.traitBars[key];
      t.fill.style.width = `${Math.max(0, Math.min(1, v)) * 100}%`;
      t.value.textContent = v.toFixed(2);
      t.bar.setAttribute('aria-valuenow', v.toFixed(2));
    }

    const metrics = snapshot.metrics ?? {};
    $('ias').textContent = fmt(metrics.ias);
    $('gas').textContent = fmt(metrics.gas);
    this.setStage(metrics.stage ?? 'S0', metrics);

    const ticks = snapshot.ticks ?? 0;
    $('top-ticks').textContent = `tick ${ticks}`;
    $('f-ticks').textContent = ticks;
    $('f-events').textContent = snapshot.events ?? snapshot.last_event_id ?? 0;
    this.renderCommitments(snapshot.commitments ?? {}, ticks);
  }

  renderCommitments(c, ticks) {
    const open = c.open ?? [];
    // The snapshot lists at most 100 open commitments; open_count counts them all.
    const openCount = c.open_count ?? open.length;
    $('c-open').textContent = openCount;
    $('c-closed').textContent = c.closed ?? 0;
    $('c-expired').textContent = c.expired_count ?? (c.expired ?? []).length;
    const ul = $('commitments');
    ul.replaceChildren();
    if (!open.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = 'No open commitments. Ask it to do something later and it will commit to it.';
      ul.append(li);
      return;
    }
    for (const item of [...open].sort((a, b) => (a.opened_tick ?? 0) - (b.opened_tick ?? 0))) {
      const li = document.createElement('li');
      const text = document.createElement('span');
      text.className = 'c-text';
      text.textContent = item.text ?? item.cid;
      const when = document.createElement('span');
      when.className = 'c-when';
      const age = document.createElement('span');
      age.className = 'c-age';
      const n = Number.isFinite(item.opened_tick) ? Math.max(0, ticks - item.opened_tick) : null;
      age.textContent = n === null ? '' : n === 0 ? 'new' : `${n} tick${n === 1 ? '' : 's'} old`;
      age.title = `Opened at tick ${item.opened_tick ?? '?'} (ledger event #${item.opened_at ?? '?'})`;
      when.append(age);
      // expires_at_tick is null when commitments never expire (commitment.ttl.ticks = 0).
      if (Number.isFinite(item.expires_at_tick)) {
        const left = item.expires_at_tick - ticks;
        const expires = document.createElement('span');
        expires.className = 'c-expires';
        expires.dataset.soon = String(left <= 2);
        expires.textContent = left <= 0 ? 'expires now' : `expires in ${left} tick${left === 1 ? '' : 's'}`;
        expires.title = `Expires at tick ${item.expires_at_tick} unless the mind reports it done first`;
        when.append(expires);
      }
      li.append(text, when);
      ul.append(li);
    }
    if (openCount > open.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = `and ${openCount - open.length} more, newer ones`;
      ul.append(li);
    }
  }

  setStage(stage, metrics) {
    for (const id of ['stage', 'top-stage']) {
      $(id).textContent = stage;
      $(id).dataset.stage = stage;
    }
    $('top-stage').title = `Stage ${stage} of S0 to S4: where the recent IAS and GAS averages put the mind`;
    const order = Object.keys(STAGES);
    const next = order[order.indexOf(stage) + 1];
    $('stage-next').textContent = next
      ? `${stage === 'S0' ? 'Every mind starts at S0. ' : ''}To reach ${next}, the average over 10 ticks needs IAS ≥ ${(STAGES[next][0] + 0.03).toFixed(2)} and GAS ≥ ${(STAGES[next][1] + 0.03).toFixed(2)}.`
      : 'S4 is the highest stage.';
    if (this.stage && this.stage !== stage) this.loadStageHistory();
    this.stage = stage;
  }

  onTick(frame) {
    this.lastTick = frame;
    this.chart.add({ tick: frame.tick, ias: frame.ias, gas: frame.gas });
    $('top-ticks').textContent = `tick ${frame.tick}`;
    $('f-ticks').textContent = frame.tick;
    const why = REFLECT_REASONS[frame.reason] ?? String(frame.reason ?? '').replace(/_/g, ' ');
    const did = frame.reflected ? `reflected${why ? ` (${why})` : ''}` : `no reflection${why ? ` (${why})` : ''}`;
    const n = Array.isArray(frame.expired) ? frame.expired.length : Number(frame.expired) || 0;
    const expired = n ? ` · ${n} commitment${n === 1 ? '' : 's'} expired` : '';
    $('f-last-tick').textContent = `Last tick: ${did}${expired}`;
    if (frame.stage && frame.stage !== this.stage) this.setStage(frame.stage, frame);
    // The first stage is recorded after a few ticks; until it shows, look again now and then.
    if (this.stageHistoryEmpty && frame.tick >= 3 && !this.stageTimer) {
      const wait = Math.max(0, 3000 - (Date.now() - (this.stageCheckedAt ?? 0)));
      this.stageTimer = setTimeout(() => {
        this.stageTimer = null;
        this.loadStageHistory();
      }, wait);
    }
  }

  /** Reloads the chart series and the stage history from the ledger (on load and after a reconnect). */
  async load() {
    await Promise.all([this.loadSeries(), this.loadStageHistory()]);
  }

  async loadSeries() {
    try {
      const page = await eventsBefore(NEWEST, 300, 'autonomy_tick');
      const points = (page.events ?? []).map(e => ({
        tick: Number(e.meta?.tick),
        ias: Number(e.meta?.telemetry?.IAS),
        gas: Number(e.meta?.telemetry?.GAS),
      })).filter(p => [p.tick, p.ias, p.gas].every(Number.isFinite));
      this.chart.seed(points);
    } catch (e) {
      $('chart-caption').textContent = `Could not load the history of ticks: ${e.message}`;
    }
  }

  async loadStageHistory() {
    const ol = $('stage-history');
    try {
      const page = await eventsBefore(NEWEST, 20, 'stage_update');
      this.stageCheckedAt = Date.now();
      ol.replaceChildren();
      const events = page.events ?? [];
      this.stageHistoryEmpty = events.length === 0;
      if (!events.length) {
        const li = document.createElement('li');
        li.className = 'none';
        li.textContent = 'No stage changes yet.';
        ol.append(li);
      }
      for (const e of events) {
        const li = document.createElement('li');
        const what = document.createElement('span');
        const from = e.meta?.from;
        what.textContent = from ? `${from} → ${e.meta?.to}` : `Started at ${e.meta?.to ?? '?'}`;
        const when = document.createElement('span');
        when.className = 'muted';
        when.textContent = `tick ${e.meta?.tick ?? '?'} · ${ago(e.ts)}`;
        when.title = `${e.ts} · ledger event #${e.id}`;
        li.append(what, when);
        ol.append(li);
      }
    } catch (e) {
      ol.replaceChildren();
    }
  }
}
