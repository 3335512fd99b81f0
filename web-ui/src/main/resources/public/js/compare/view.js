// Compare runs side by side: one sortable table and one chart, optional reference rows from the field, exports.
// The rows and exports are computed in rows.js and export.js; this module draws them and keeps the view state.
import {api} from '../api.js';
import {h, mount, download, copyText, toast} from '../dom.js';
import {metricText} from '../format.js';
import {barChart} from '../charts.js';
import {pageHead, errorBox} from '../widgets.js';
import {csv, exportColumns, json, markdown, plainRows} from './export.js';
import {runPicker} from './picker.js';
import {defaultReferenceAttack, FIXED_COLUMNS, lineUp, metricColumns, referenceRows, runRows, seedRows, sortRows} from './rows.js';

let referenceCache = null;
async function referenceResults() {
  if (!referenceCache) referenceCache = fetch('data/reference-results.json').then((r) => r.json());
  return referenceCache;
}

function headerCell(state, render, key, label, numeric) {
  const active = state.sortKey === key;
  return h('th', {scope: 'col', class: numeric ? 'num' : null,
    'aria-sort': active ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none'},
  h('button', {type: 'button', class: 'sort', 'data-sort': key, onclick: () => {
    if (state.sortKey === key) state.sortDir = -state.sortDir;
    else {
      state.sortKey = key;
      state.sortDir = numeric ? -1 : 1;
    }
    render();
  }}, label, h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, active ? (state.sortDir > 0 ? ' ▲' : ' ▼') : ' ↕')));
}

function table(state, render, rows, metrics) {
  return h('table', {class: 'data compare-table', id: 'compare-table'},
    h('thead', null, h('tr', null, FIXED_COLUMNS.map((c) => headerCell(state, render, c.key, c.label, false)),
      metrics.map((m) => headerCell(state, render, m, m, true)))),
    h('tbody', null, rows.map((r) => h('tr', {class: r.kind === 'reference' ? 'reference-row' : null,
      'data-run-id': r.runId ? String(r.runId) : null},
    h('td', null, r.kind === 'run' ? h('a', {href: `#/runs/${r.runId}`}, r.source)
      : h('span', {class: 'tag ref', title: r.note}, 'reference')),
    h('td', null, r.pipeline), h('td', null, r.dataset), h('td', null, r.model), h('td', null, r.attack),
    h('td', null, r.step),
    metrics.map((m) => h('td', {class: 'num'}, cellText(r, m)))))));
}

/** A metric cell: the value, or with seeds pooled the mean ± sample sd (in percentage points for fractions). */
function cellText(r, m) {
  if (r.values[m] === undefined) return '–';
  const text = metricText(r.values[m], r.units[m]);
  if (!r.sds || !(r.ns[m] > 1)) return text;
  const sd = r.units[m] === 'fraction' ? (r.sds[m] * 100).toFixed(2) : metricText(r.sds[m], r.units[m]);
  return `${text} ± ${sd}`;
}

function chart(rows, metrics) {
  const c = barChart(rows.map((r) => ({
    label: r.kind === 'run' ? r.chartLabel : `${r.attack} ${r.step.replace('after ', '')}`,
    sublabel: r.kind === 'run' ? r.chartSub : 'CIFAR-10 ref.',
    values: metrics.map((m) => (r.values[m] === undefined ? null : r.values[m] * 100))})),
  metrics, {title: 'Side by side (%)', max: 100, unit: '%'});
  c.id = 'compare-chart';
  return c;
}

function toolbar(state, render, reference, exports) {
  const refAttack = h('select', {id: 'reference-attack', value: state.referenceAttack, disabled: !state.showReference,
    onchange: (e) => {
      state.referenceAttack = e.target.value;
      render();
    }}, h('option', {value: ''}, 'all attacks'),
  [...new Set(reference.rows.map((r) => r.attack))].map((a) => h('option', {value: a}, a)));
  const refToggle = h('input', {type: 'checkbox', id: 'show-reference', checked: state.showReference, onchange: (e) => {
    state.showReference = e.target.checked;
    refAttack.disabled = !state.showReference;
    render();
  }});
  const rowsSelect = h('select', {id: 'rows-mode', value: state.rowsMode, onchange: (e) => {
    state.rowsMode = e.target.value;
    render();
  }}, h('option', {value: 'all'}, 'every evaluated step'), h('option', {value: 'final'}, 'final step only'));
  const seedsToggle = h('input', {type: 'checkbox', id: 'pool-seeds', checked: state.poolSeeds, onchange: (e) => {
    state.poolSeeds = e.target.checked;
    render();
  }});
  return h('div', {class: 'toolbar'},
    h('label', {for: 'rows-mode', class: 'inline-label'}, 'Rows'), rowsSelect,
    h('div', {class: 'check-row'}, seedsToggle, h('label', {for: 'pool-seeds',
      title: 'Runs whose pipelines differ only in seed and name become one row: mean ± sample standard deviation, N runs'},
    'Pool seeds (mean ± sd)')),
    h('div', {class: 'check-row'}, refToggle, h('label', {for: 'show-reference'}, 'Reference rows: ',
      h('strong', null, reference.label))),
    h('label', {for: 'reference-attack', class: 'sr-only'}, 'Reference attack'), refAttack,
    h('span', {class: 'spacer'}),
    h('button', {type: 'button', class: 'btn small', id: 'export-csv', onclick: () => download('purifier-comparison.csv', `${exports.csv()}\n`, 'text/csv')}, 'CSV'),
    h('button', {type: 'button', class: 'btn small', id: 'export-json', onclick: () => download('purifier-comparison.json', `${exports.json()}\n`, 'application/json')}, 'JSON'),
    h('button', {type: 'button', class: 'btn small', id: 'export-md', onclick: () => download('purifier-comparison.md', `${exports.markdown()}\n`, 'text/markdown')}, 'Markdown'),
    h('button', {type: 'button', class: 'btn small ghost', onclick: async () => {
      toast(await copyText(exports.markdown()) ? 'Markdown table copied.' : 'Copy failed; use the Markdown download.');
    }}, 'Copy Markdown'));
}

/** Renders the comparison of the runs in `?ids=` (and the options ?rows=, ?ref=, ?refAttack=, ?seeds=1). */
export async function compareView(view, {params}) {
  const ids = (params.get('ids') || '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const state = {
    rowsMode: params.get('rows') === 'final' ? 'final' : 'all',
    showReference: params.get('ref') === '1',
    referenceAttack: params.get('refAttack') || '',
    poolSeeds: params.get('seeds') === '1',
    sortKey: null, sortDir: 1,
  };
  const [runs, reference, details] = await Promise.all([
    api('/api/runs?limit=200'), referenceResults(),
    Promise.all(ids.map((id) => api(`/api/runs/${id}`).catch((e) => ({missing: id, error: e.message}))))]);
  const found = details.filter((d) => !d.missing);
  const missing = details.filter((d) => d.missing);
  if (!state.referenceAttack) state.referenceAttack = defaultReferenceAttack(found);

  const tableBox = h('div', {class: 'table-wrap'});
  const chartBox = h('div', {id: 'compare-chart-box'});
  const currentRows = () => {
    const own = state.poolSeeds ? seedRows(found, state.rowsMode) : runRows(found, state.rowsMode);
    const rows = [...own, ...(state.showReference ? referenceRows(reference, state.referenceAttack) : [])];
    const metrics = metricColumns(rows);
    return {rows: state.sortKey ? sortRows(rows, metrics, state.sortKey, state.sortDir) : lineUp(rows), metrics};
  };
  const exported = () => {
    const {rows, metrics} = currentRows();
    return {plain: plainRows(rows, metrics, reference), metrics: exportColumns(rows, metrics)};
  };
  const exports = {
    csv: () => csv(exported().plain, exported().metrics),
    markdown: () => markdown(exported().plain, exported().metrics, reference, state.showReference),
    json: () => json(exported().plain, reference, state.showReference),
  };

  function render() {
    const {rows, metrics} = currentRows();
    if (!rows.length) {
      mount(tableBox, h('p', {class: 'muted'}, ids.length
        ? 'The selected runs have no metric values yet.' : 'Select runs above to compare them.'));
      mount(chartBox);
      return;
    }
    mount(tableBox, table(state, render, rows, metrics));
    mount(chartBox, chart(rows, metrics));
  }

  mount(view,
    pageHead('Compare runs', h('p', {class: 'muted'}, 'One row per evaluated step of each selected run (before defenses, then after each defense).')),
    runPicker(runs, ids),
    missing.length ? errorBox(`Not found: ${missing.map((m) => `run ${m.missing} (${m.error})`).join('; ')}`) : null,
    h('section', {class: 'card'},
      toolbar(state, render, reference, exports),
      h('p', {class: 'muted small ref-note'}, `Reference numbers: ${reference.setting}. ${reference.caveat} ${reference.derNote}`),
      tableBox, chartBox));
  render();
  return null;
}
