// Small SVG charts: grouped bars (metrics per step or per run) and line charts (per-epoch curves).
import {h, s} from './dom.js';
import {roundSig} from './format.js';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22'];

function legend(names) {
  return h('ul', {class: 'legend'}, names.map((name, i) => h('li', null,
    h('span', {class: 'swatch', style: {background: PALETTE[i % PALETTE.length]}}), name)));
}

function niceTicks(min, max, count = 5) {
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const span = max - min;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => span / st <= count) || 10 * mag;
  const ticks = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Grouped bar chart. groups: [{label, values: [number|null per series]}], series: names,
 * options: {title, max (e.g. 100), unit ('%'), format(v)}.
 */
export function barChart(groups, series, options = {}) {
  const width = Math.max(420, 80 + groups.length * (series.length * 18 + 26));
  const height = 260;
  const left = 46;
  const right = 12;
  const top = 14;
  const bottom = 64;
  const values = groups.flatMap((g) => g.values).filter((v) => v !== null && v !== undefined);
  const yMax = options.max !== undefined ? options.max : Math.max(1, ...values);
  const yMin = Math.min(0, ...values);
  const y = (v) => top + (height - top - bottom) * (1 - (v - yMin) / (yMax - yMin || 1));
  const plotWidth = width - left - right;
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const barWidth = Math.min(28, (groupWidth - 14) / Math.max(1, series.length));
  const fmt = options.format || ((v) => `${roundSig(v)}${options.unit || ''}`);
  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart bar-chart', role: 'img',
    'aria-label': options.title || 'bar chart', preserveAspectRatio: 'xMinYMin meet',
    style: {maxWidth: `${width}px`, minWidth: groups.length > 6 ? `${width}px` : null}});
  for (const t of niceTicks(yMin, yMax)) {
    svg.append(s('line', {x1: left, x2: width - right, y1: y(t), y2: y(t), class: t === 0 ? 'axis' : 'grid'}),
      s('text', {x: left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick'}, `${roundSig(t)}${options.unit || ''}`));
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
    g.values.forEach((v, si) => {
      if (v === null || v === undefined) return;
      const x = x0 + si * barWidth;
      const yTop = Math.min(y(v), y(0));
      const rect = s('rect', {x: x + 1, y: yTop, width: Math.max(1, barWidth - 2),
        height: Math.max(1, Math.abs(y(0) - y(v))), fill: PALETTE[si % PALETTE.length], class: 'bar',
        'data-series': series[si], 'data-group': g.label},
      s('title', null, `${g.label} · ${series[si]}: ${fmt(v)}`));
      svg.append(rect);
    });
    const label = g.label.length > 22 ? `${g.label.slice(0, 21)}…` : g.label;
    svg.append(s('text', {x: left + gi * groupWidth + groupWidth / 2, y: height - bottom + 16, 'text-anchor': 'middle',
      class: 'group-label'}, s('title', null, g.label), label));
    if (g.sublabel) {
      svg.append(s('text', {x: left + gi * groupWidth + groupWidth / 2, y: height - bottom + 30,
        'text-anchor': 'middle', class: 'group-sublabel'}, g.sublabel.length > 26 ? `${g.sublabel.slice(0, 25)}…` : g.sublabel));
    }
  });
  return h('figure', {class: 'chart-box'},
    options.title ? h('figcaption', null, options.title) : null,
    h('div', {class: 'chart-scroll'}, svg), legend(series));
}

/** Line chart. series: [{name, points: [[x, y], …]}], options: {title, xLabel}. */
export function lineChart(series, options = {}) {
  const width = 460;
  const height = 240;
  const left = 52;
  const right = 12;
  const top = 12;
  const bottom = 36;
  const all = series.flatMap((sr) => sr.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 6);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 5);
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const px = (v) => left + (width - left - right) * ((v - x0) / ((x1 - x0) || 1));
  const py = (v) => top + (height - top - bottom) * (1 - (v - y0) / ((y1 - y0) || 1));
  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart line-chart', role: 'img',
    'aria-label': options.title || 'line chart'});
  for (const t of yTicks) {
    svg.append(s('line', {x1: left, x2: width - right, y1: py(t), y2: py(t), class: 'grid'}),
      s('text', {x: left - 6, y: py(t) + 4, 'text-anchor': 'end', class: 'tick'}, roundSig(t)));
  }
  for (const t of xTicks) {
    svg.append(s('text', {x: px(t), y: height - bottom + 16, 'text-anchor': 'middle', class: 'tick'}, roundSig(t)));
  }
  svg.append(s('line', {x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: 'axis'}));
  if (options.xLabel) {
    svg.append(s('text', {x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle', class: 'axis-label'},
      options.xLabel));
  }
  series.forEach((sr, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = [...sr.points].sort((a, b) => a[0] - b[0]);
    svg.append(s('polyline', {points: pts.map((p) => `${px(p[0])},${py(p[1])}`).join(' '), fill: 'none',
      stroke: color, 'stroke-width': 2, class: 'line', 'data-series': sr.name}));
    for (const p of pts.length <= 60 ? pts : []) {
      svg.append(s('circle', {cx: px(p[0]), cy: py(p[1]), r: 2.5, fill: color},
        s('title', null, `${sr.name}: (${roundSig(p[0])}, ${roundSig(p[1])})`)));
    }
  });
  return h('figure', {class: 'chart-box'},
    options.title ? h('figcaption', null, options.title) : null, svg, legend(series.map((sr) => sr.name)));
}
