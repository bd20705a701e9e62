// SPDX-License-Identifier: MIT
// Live metrics samples (app.metrics events) folded into the aligned series of
// GET /api/v1/apps/{name}/metrics, so the charts move without polling. Pure; unit-tested.

export const KEYS = ['cpu_percent', 'cpu_core_percent', 'memory_bytes', 'memory_limit_bytes', 'rx_bytes_per_s',
  'tx_bytes_per_s', 'block_read_bytes_per_s', 'block_write_bytes_per_s', 'restarts', 'up'];

// Folds one live sample into aligned columns {at, series, counts}: into the last bucket
// when it belongs there (a running average), else as a new bucket; drops buckets older
// than `rangeS` before the sample.
export function foldSample(data, sample, stepS, rangeS) {
  const t = Math.floor(Date.parse(sample.at) / 1000);
  if (!Number.isFinite(t) || !stepS) return false;
  const bucket = t - (t % stepS);
  const last = data.at.length ? data.at[data.at.length - 1] : null;
  const value = (k) => (k === 'up' ? (sample.up ? 1 : 0) : sample[k]);
  if (last !== null && bucket < last) return false;  // older than what we have
  if (last === bucket) {
    const i = data.at.length - 1;
    const n = data.counts[i] || 0;
    for (const k of KEYS) {
      const v = value(k);
      if (typeof v !== 'number') continue;
      const old = data.series[k][i];
      if (k === 'restarts') data.series[k][i] = old == null ? v : Math.max(old, v);
      else data.series[k][i] = old == null || n === 0 ? v : (old * n + v) / (n + 1);
    }
    data.counts[i] = n + 1;
  } else {
    // Buckets in between had nothing: nulls keep the gap visible.
    if (last !== null) for (let b = last + stepS; b < bucket; b += stepS) push(data, b, null, 0);
    push(data, bucket, value, 1);
  }
  while (data.at.length && data.at[0] < bucket - rangeS) {
    data.at.shift(); data.counts.shift();
    for (const k of KEYS) data.series[k].shift();
  }
  return true;
}

function push(data, at, value, count) {
  data.at.push(at);
  data.counts.push(count);
  for (const k of KEYS) {
    const v = value ? value(k) : null;
    data.series[k].push(typeof v === 'number' ? v : null);
  }
}

