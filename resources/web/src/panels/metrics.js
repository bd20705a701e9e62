// SPDX-License-Identifier: MIT
// CPU, memory, network, disk I/O and restarts from GET /api/v1/apps/{name}/metrics: the
// series gasperd keeps in its store (every sample for an hour, minute averages for a day,
// 10-minute averages for 30 days), so the charts show history from before the page was
// opened and from before gasperd restarted. A range picker (1 h, 24 h, 30 d) asks for
// that range; the charts then move live on the `app.metrics` events of WS /api/v1/events
// (a live sample is folded into the last bucket or starts a new one), with no polling. All
// charts share one time axis and one cursor. CPU is in % of the app's CPU limit.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, prefs } from '../api.js';
import { h, bytes } from '../dom.js';
import { KEYS, foldSample } from '../metricsfold.js';

// Byte axes tick at powers of two (64 MiB, 128 MiB, …), not at 191 MiB.
const binaryIncrs = Array.from({ length: 41 }, (_, i) => 2 ** i);
const RANGES = [['1h', '1 h', 3600], ['24h', '24 h', 86400], ['30d', '30 d', 30 * 86400]];

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

const rate = (v) => `${bytes(v)}/s`;
const defs = [
  { id: 'cpu', title: 'CPU (% of the app’s limit)', series: [{ key: 'cpu_percent', label: 'CPU', color: '--chart-1', fmt: (v) => `${v.toFixed(1)} %` }], fmt: (v) => `${v} %` },
  { id: 'memory', title: 'Memory', series: [{ key: 'memory_bytes', label: 'used', color: '--chart-2', fmt: bytes }, { key: 'memory_limit_bytes', label: 'limit', color: '--chart-muted', dash: [4, 4], fmt: bytes }], fmt: bytes, binary: true },
  { id: 'network', title: 'Network', series: [{ key: 'rx_bytes_per_s', label: 'in', color: '--chart-3', fmt: rate }, { key: 'tx_bytes_per_s', label: 'out', color: '--chart-4', fmt: rate }], fmt: rate, binary: true },
  { id: 'disk', title: 'Disk I/O', series: [{ key: 'block_read_bytes_per_s', label: 'read', color: '--chart-3', fmt: rate }, { key: 'block_write_bytes_per_s', label: 'write', color: '--chart-4', fmt: rate }], fmt: rate, binary: true },
  { id: 'restarts', title: 'Restarts', series: [{ key: 'restarts', label: 'restarts', color: '--chart-5', step: true, fmt: (v) => String(Math.round(v)) }], fmt: (v) => String(v), integer: true },
];
export function metricsPanel(panel, { name, events }) {
  let alive = true;
  let charts = [];
  let range = prefs.get('metrics.range', '1h');
  if (!RANGES.some(([id]) => id === range)) range = '1h';
  let data = null;   // {at, series, counts, step}
  let loading = 0;
  const note = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…');
  const grid = h('div', { class: 'charts', dataset: { range } });
  const picker = h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Time range' } },
    ...RANGES.map(([id, label]) => h('button', {
      type: 'button', dataset: { range: id }, attrs: { 'aria-pressed': String(id === range) },
      on: { click: () => pick(id) },
    }, label)));
  panel.append(h('div', { class: 'toolbar' }, h('h2', {}, 'Metrics'), picker), note, grid);

  function pick(id) {
    if (id === range) return;
    range = id;
    prefs.set('metrics.range', id);
    grid.dataset.range = id;
    for (const b of picker.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.range === id));
    load();
  }

  function rangeSeconds() { return RANGES.find(([id]) => id === range)[2]; }

  function columns(id) {
    const d = defs.find((x) => x.id === id);
    return [data.at, ...d.series.map((s) => data.series[s.key].map((v) => (s.key === 'memory_limit_bytes' && !v ? null : v)))];
  }

  function build() {
    for (const c of charts) c.plot.destroy();
    charts = [];
    grid.replaceChildren();
    const axisColor = cssVar('--muted');
    const gridColor = cssVar('--border');
    for (const d of defs) {
      const box = h('figure', { class: 'chart', dataset: { chart: d.id } }, h('figcaption', {}, d.title));
      grid.append(box);
      const width = Math.max(260, box.clientWidth - 16);
      const opts = {
        width, height: 180,
        cursor: { sync: { key: `metrics-${name}` } },
        legend: { live: true },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max((max || 0) * 1.1, d.integer ? 1 : 0.0001)] } },
        axes: [
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, size: 72,
            values: (u, vals) => vals.map((v) => d.fmt(v)),
            ...(d.integer ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : d.binary ? { incrs: binaryIncrs } : {}) },
        ],
        series: [{}, ...d.series.map((s) => ({
          label: s.label, stroke: cssVar(s.color), width: 2, dash: s.dash, spanGaps: false,
          value: (u, v) => (v === null || v === undefined ? '–' : s.fmt(v)),
          ...(s.step ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        }))],
      };
      const plot = new uPlot(opts, columns(d.id), box);
      charts.push({ id: d.id, plot, box });
    }
    mark();
  }

  function mark() {
    const points = data ? data.series.cpu_percent.filter((v) => v !== null).length : 0;
    for (const c of charts) {
      c.box.dataset.points = String(points);
      c.box.dataset.step = String(data ? data.step : 0);
    }
  }

  function update() {
    for (const c of charts) c.plot.setData(columns(c.id));
    mark();
  }

  async function load() {
    const mine = ++loading;
    note.textContent = 'Loading…';
    try {
      const m = await api('GET', `/apps/${encodeURIComponent(name)}/metrics?since=${range}`);
      if (!alive || mine !== loading) return;
      data = { at: m.at, series: {}, counts: m.at.map(() => 1), step: m.step_s, interval: m.interval_s };
      for (const k of KEYS) data.series[k] = (m.series && m.series[k]) || m.at.map(() => null);
      const sampled = data.series.cpu_percent.some((v) => v !== null);
      note.textContent = sampled
        ? `One point per ${m.step_s >= 60 ? `${m.step_s / 60} min` : `${m.step_s} s`} (sampled every ${m.interval_s} s); live.`
        : 'No samples in this range yet: they start once the app runs.';
      build();
    } catch (err) {
      if (!alive || mine !== loading) return;
      note.textContent = `Could not load the metrics: ${err.message}`;
    }
  }

  const off = events ? events.on((e) => {
    if (e.type === 'resync') { load(); return; }
    if (e.type !== 'app.metrics' || e.app !== name || !data) return;
    if (foldSample(data, e, data.step, rangeSeconds())) {
      if (charts.length) update();
      if (note.textContent.startsWith('No samples')) note.textContent = 'Live.';
    }
  }) : () => {};

  const ro = new ResizeObserver(() => {
    for (const c of charts) {
      const w = Math.max(260, c.box.clientWidth - 16);
      if (Math.abs(w - c.plot.width) > 2) c.plot.setSize({ width: w, height: 180 });
    }
  });
  ro.observe(grid);
  const scheme = window.matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => { if (charts.length) build(); };
  scheme.addEventListener('change', onScheme);
  load();
  return () => {
    alive = false;
    off();
    ro.disconnect();
    scheme.removeEventListener('change', onScheme);
    for (const c of charts) c.plot.destroy();
  };
}
