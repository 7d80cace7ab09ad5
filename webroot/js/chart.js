// IAS and GAS over the last few hundred ticks: a small hand-drawn SVG line chart with a hover readout.

const SVG = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 300;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function niceMax(value) {
  const steps = [0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.75, 1];
  return steps.find(s => value <= s) ?? 1;
}

export class MetricsChart {
  constructor(container, caption) {
    this.container = container;
    this.caption = caption;
    this.points = []; // {tick, ias, gas}, ascending by tick
    this.hover = null;
    this.frame = 0;
    new ResizeObserver(() => this.schedule()).observe(container);
    container.addEventListener('pointermove', e => this.onPointer(e));
    container.addEventListener('pointerleave', () => { this.hover = null; this.schedule(); });
  }

  /** Replaces the series (from the ledger's autonomy_tick events). */
  seed(points) {
    const byTick = new Map(this.points.map(p => [p.tick, p]));
    points.forEach(p => byTick.set(p.tick, p));
    this.points = [...byTick.values()].sort((a, b) => a.tick - b.tick).slice(-MAX_POINTS);
    this.schedule();
  }

  add(point) {
    if (![point.tick, point.ias, point.gas].every(Number.isFinite)) return;
    const last = this.points[this.points.length - 1];
    if (last && point.tick <= last.tick) {
      const same = this.points.find(p => p.tick === point.tick);
      if (same) Object.assign(same, point);
      else this.seed([point]);
    } else {
      this.points.push(point);
      if (this.points.length > MAX_POINTS) this.points.shift();
    }
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  geometry() {
    const width = Math.max(200, this.container.clientWidth);
    const height = Math.max(120, this.container.clientHeight || 150);
    const pad = { left: 34, right: 8, top: 8, bottom: 20 };
    const top = niceMax(Math.max(0.05, ...this.points.map(p => Math.max(p.ias, p.gas))) * 1.1);
    const first = this.points[0]?.tick ?? 0;
    const last = this.points[this.points.length - 1]?.tick ?? 1;
    const span = Math.max(1, last - first);
    const x = t => pad.left + ((t - first) / span) * (width - pad.left - pad.right);
    const y = v => pad.top + (1 - Math.min(v, top) / top) * (height - pad.top - pad.bottom);
    return { width, height, pad, top, first, last, span, x, y };
  }

  draw() {
    const g = this.geometry();
    const root = svg('svg', { viewBox: `0 0 ${g.width} ${g.height}`, width: g.width, height: g.height, class: 'chart-svg' });
    for (const f of [0, 0.5, 1]) {
      const v = g.top * f;
      root.append(svg('line', { x1: g.pad.left, x2: g.width - g.pad.right, y1: g.y(v), y2: g.y(v), class: 'grid' }));
      const label = svg('text', { x: g.pad.left - 6, y: g.y(v) + 4, class: 'axis', 'text-anchor': 'end' });
      label.textContent = v.toFixed(g.top < 0.2 ? 3 : 2).replace(/0+$/, '').replace(/\.$/, '') || '0';
      root.append(label);
    }
    if (this.points.length === 0) {
      const empty = svg('text', { x: (g.width + g.pad.left) / 2, y: g.height * 0.36, class: 'axis', 'text-anchor': 'middle' });
      empty.textContent = 'No ticks yet: the mind ticks on its own, on a timer';
      root.append(empty);
    } else {
      for (const t of [g.first, g.last]) {
        const label = svg('text', { x: g.x(t), y: g.height - 5, class: 'axis', 'text-anchor': t === g.first ? 'start' : 'end' });
        label.textContent = `tick ${t}`;
        root.append(label);
      }
      for (const key of ['gas', 'ias']) {
        const d = this.points.map((p, i) => `${i ? 'L' : 'M'}${g.x(p.tick).toFixed(1)},${g.y(p[key]).toFixed(1)}`).join('');
        root.append(svg('path', { d, class: `line ${key}` }));
        const lastPoint = this.points[this.points.length - 1];
        root.append(svg('circle', { cx: g.x(lastPoint.tick), cy: g.y(lastPoint[key]), r: 3, class: `dot ${key}` }));
      }
      if (this.hover) {
        const p = this.hover;
        root.append(svg('line', { x1: g.x(p.tick), x2: g.x(p.tick), y1: g.pad.top, y2: g.height - g.pad.bottom, class: 'cursor' }));
        for (const key of ['gas', 'ias']) root.append(svg('circle', { cx: g.x(p.tick), cy: g.y(p[key]), r: 3.5, class: `dot ${key}` }));
      }
    }
    this.container.replaceChildren(root);
    if (this.caption) {
      const p = this.hover;
      this.caption.textContent = p
        ? `Tick ${p.tick}: IAS ${p.ias.toFixed(3)} · GAS ${p.gas.toFixed(3)}`
        : this.points.length ? `Last ${this.points.length} ticks. Hover for values.` : 'One point per autonomy tick.';
    }
  }

  onPointer(e) {
    if (!this.points.length) return;
    const g = this.geometry();
    const rect = this.container.getBoundingClientRect();
    const px = e.clientX - rect.left;
    let best = null;
    for (const p of this.points) {
      if (!best || Math.abs(g.x(p.tick) - px) < Math.abs(g.x(best.tick) - px)) best = p;
    }
    if (best !== this.hover) {
      this.hover = best;
      this.schedule();
    }
  }
}
