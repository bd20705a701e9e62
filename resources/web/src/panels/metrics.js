// SPDX-License-Identifier: MIT
// CPU, memory, network and restarts from GET /api/v1/apps/{name}/metrics, which gasperd
// samples all the time (the last hour is kept), so the charts show history from before
// the page was opened. All four share one time axis (the same x values and range) and
// one cursor, in absolute units: % of one CPU, bytes, bytes per second, a count.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../api.js';
import { h, bytes } from '../dom.js';

// Byte axes tick at powers of two (64 MiB, 128 MiB, …), not at 191 MiB.
const binaryIncrs = Array.from({ length: 41 }, (_, i) => 2 ** i);

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function metricsPanel(panel, { name }) {
  let alive = true;
  let timer = null;
  let charts = [];
  let last = null;
  const samples = [];
  const note = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…');
  const grid = h('div', { class: 'charts' });
  panel.append(h('h2', {}, 'Metrics'), note, grid);

  const defs = [
    { id: 'cpu', title: 'CPU (% of one CPU)', series: [{ label: 'CPU', color: '--chart-1', fmt: (v) => `${v.toFixed(1)} %` }], fmt: (v) => `${v} %` },
    { id: 'memory', title: 'Memory', series: [{ label: 'used', color: '--chart-2', fmt: bytes }, { label: 'limit', color: '--chart-muted', dash: [4, 4], fmt: bytes }], fmt: bytes, binary: true },
    { id: 'network', title: 'Network', series: [{ label: 'in', color: '--chart-3', fmt: (v) => `${bytes(v)}/s` }, { label: 'out', color: '--chart-4', fmt: (v) => `${bytes(v)}/s` }], fmt: (v) => `${bytes(v)}/s`, binary: true },
    { id: 'restarts', title: 'Restarts', series: [{ label: 'restarts', color: '--chart-5', step: true, fmt: (v) => String(Math.round(v)) }], fmt: (v) => String(v), integer: true },
  ];

  function columns() {
    const t = samples.map((s) => Date.parse(s.at) / 1000);
    const rate = (key) => samples.map((s, i) => {
      if (i === 0) return null;
      const dt = t[i] - t[i - 1];
      const d = s[key] - samples[i - 1][key];
      return dt > 0 && d >= 0 ? d / dt : null;  // a new container starts its counters at 0
    });
    return {
      cpu: [t, samples.map((s) => s.cpu_percent)],
      memory: [t, samples.map((s) => s.memory_bytes), samples.map((s) => s.memory_limit_bytes || null)],
      network: [t, rate('rx_bytes'), rate('tx_bytes')],
      restarts: [t, samples.map((s) => s.restarts)],
    };
  }

  function build() {
    for (const c of charts) c.plot.destroy();
    charts = [];
    grid.replaceChildren();
    const axisColor = cssVar('--muted');
    const gridColor = cssVar('--border');
    const data = columns();
    for (const d of defs) {
      const box = h('figure', { class: 'chart', dataset: { chart: d.id } }, h('figcaption', {}, d.title));
      grid.append(box);
      const width = Math.max(260, box.clientWidth - 16);
      const opts = {
        width, height: 180,
        cursor: { sync: { key: `metrics-${name}` } },
        legend: { live: true },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, d.integer ? 1 : 0.0001)] } },
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
      const plot = new uPlot(opts, data[d.id], box);
      charts.push({ id: d.id, plot, box });
    }
    markPoints();
  }

  function markPoints() {
    for (const c of charts) c.box.dataset.points = String(samples.length);
  }

  function update() {
    const data = columns();
    for (const c of charts) c.plot.setData(data[c.id]);
    markPoints();
  }

  async function poll() {
    try {
      const q = last ? `?since=${encodeURIComponent(last)}` : '';
      const m = await api('GET', `/apps/${encodeURIComponent(name)}/metrics${q}`);
      if (!alive) return;
      const fresh = (m.samples || []).filter((s) => !last || s.at > last);
      samples.push(...fresh);
      if (samples.length > 360) samples.splice(0, samples.length - 360);
      if (samples.length) last = samples[samples.length - 1].at;
      note.textContent = samples.length
        ? `Sampled every ${m.interval_s} s; gasperd keeps the last hour, whether or not this page is open.`
        : 'No samples yet: they start once the app runs.';
      if (!charts.length) build(); else if (fresh.length) update();
      timer = setTimeout(poll, Math.max(2, m.interval_s || 10) * 1000);
    } catch (err) {
      if (!alive) return;
      note.textContent = `Could not load the metrics: ${err.message}`;
      timer = setTimeout(poll, 10000);
    }
  }

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
  poll();
  return () => {
    alive = false;
    clearTimeout(timer);
    ro.disconnect();
    scheme.removeEventListener('change', onScheme);
    for (const c of charts) c.plot.destroy();
  };
}
