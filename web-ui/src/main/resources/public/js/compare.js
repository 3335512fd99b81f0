// Compare runs side by side: one sortable table and one chart, optional reference rows from the field, exports.
import {api} from './api.js';
import {h, mount, download, copyText, toast} from './dom.js';
import {dateTime, metricText} from './format.js';
import {barChart} from './charts.js';
import {byStep, headlineNames, stepLabel} from './metrics.js';
import {pageHead, errorBox, statusBadge} from './widgets.js';

const REFERENCE_ATTACKS = {badnets: 'BadNets', blended: 'Blended', wanet: 'WaNet', sig: 'SIG', 'input-aware': 'Input-aware',
  lf: 'LF', ssba: 'SSBA'};
const REFERENCE_METRICS = {cAcc: 'C-ACC', asr: 'ASR', ra: 'RA', der: 'DER'};
const FIXED_COLUMNS = [
  {key: 'source', label: 'Source'}, {key: 'pipeline', label: 'Pipeline'}, {key: 'dataset', label: 'Dataset'},
  {key: 'model', label: 'Model'}, {key: 'attack', label: 'Attack'}, {key: 'step', label: 'Defense / step'},
];

let referenceCache = null;
async function referenceResults() {
  if (!referenceCache) referenceCache = fetch('data/reference-results.json').then((r) => r.json());
  return referenceCache;
}

export async function compareView(view, {params}) {
  const ids = (params.get('ids') || '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const state = {
    rowsMode: params.get('rows') === 'final' ? 'final' : 'all',
    showReference: params.get('ref') === '1',
    referenceAttack: params.get('refAttack') || '',
    sortKey: null, sortDir: 1,
  };
  const [runs, reference, details] = await Promise.all([
    api('/api/runs?limit=200'), referenceResults(),
    Promise.all(ids.map((id) => api(`/api/runs/${id}`).catch((e) => ({missing: id, error: e.message}))))]);
  const found = details.filter((d) => !d.missing);
  const missing = details.filter((d) => d.missing);
  if (!state.referenceAttack) {
    const attackIds = found.map((d) => d.spec && d.spec.attack && d.spec.attack.id).filter(Boolean);
    state.referenceAttack = attackIds.map((a) => REFERENCE_ATTACKS[a]).find(Boolean) || 'BadNets';
  }

  const tableBox = h('div', {class: 'table-wrap'});
  const chartBox = h('div', {id: 'compare-chart-box'});
  const picker = runPicker(runs, ids);

  function runRows() {
    const rows = [];
    for (const d of found) {
      const spec = d.spec || {};
      const perStep = byStep(d.metrics);
      let steps = d.steps.filter((st) => perStep.has(st.index));
      if (state.rowsMode === 'final' && steps.length) steps = [steps[steps.length - 1]];
      const model = spec.model ? (spec.model.source === 'train'
        ? `train ${spec.model.architecture ? spec.model.architecture.id : '?'}` : `stored ${spec.model.modelId}`) : '–';
      for (const st of steps) {
        const values = {};
        const units = {};
        for (const [name, m] of perStep.get(st.index)) {
          values[name] = m.value;
          units[name] = m.unit;
        }
        rows.push({kind: 'run', runId: d.run.id, source: `run #${d.run.id}`, pipeline: d.run.name,
          dataset: spec.dataset ? spec.dataset.id : '–', model, attack: spec.attack ? spec.attack.id : 'none',
          step: `${stepLabel(st)} (step ${st.index + 1})`, values, units, status: d.run.status,
          chartLabel: `#${d.run.id} ${st.kind === 'model' ? 'before' : st.componentId}`, chartSub: `step ${st.index + 1}`});
      }
    }
    return rows;
  }

  function referenceRows() {
    if (!state.showReference) return [];
    return reference.rows.filter((r) => !state.referenceAttack || r.attack === state.referenceAttack).map((r) => {
      const values = {};
      const units = {};
      for (const [key, name] of Object.entries(REFERENCE_METRICS)) {
        if (r[key] !== null && r[key] !== undefined) {
          values[name] = r[key] / 100;
          units[name] = 'fraction';
        }
      }
      return {kind: 'reference', source: 'reference', pipeline: 'BackdoorBench leaderboard', dataset: 'CIFAR-10',
        model: 'PreAct-ResNet-18', attack: r.attack, step: r.defense === 'No defense' ? 'no defense' : `after ${r.defense}`,
        values, units, note: r.source};
    });
  }

  function metricColumns(rows) {
    const all = rows.flatMap((r) => Object.keys(r.values).map((name) => ({name, unit: r.units[name], stepIndex: 0})));
    return headlineNames(all);
  }

  function sorted(rows, metrics) {
    if (!state.sortKey) return rows;
    const key = state.sortKey;
    const value = (r) => (metrics.includes(key) ? r.values[key] : r[key]);
    return [...rows].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === undefined || va === null) return 1;
      if (vb === undefined || vb === null) return -1;
      return (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))) * state.sortDir;
    });
  }

  function currentRows() {
    const rows = [...runRows(), ...referenceRows()];
    const metrics = metricColumns(rows);
    return {rows: sorted(rows, metrics), metrics};
  }

  function headerCell(key, label, numeric) {
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

  function render() {
    const {rows, metrics} = currentRows();
    if (!rows.length) {
      mount(tableBox, h('p', {class: 'muted'}, ids.length
        ? 'The selected runs have no metric values yet.' : 'Select runs above to compare them.'));
      mount(chartBox);
      return;
    }
    mount(tableBox, h('table', {class: 'data compare-table', id: 'compare-table'},
      h('thead', null, h('tr', null, FIXED_COLUMNS.map((c) => headerCell(c.key, c.label, false)),
        metrics.map((m) => headerCell(m, m, true)))),
      h('tbody', null, rows.map((r) => h('tr', {class: r.kind === 'reference' ? 'reference-row' : null,
        'data-run-id': r.runId ? String(r.runId) : null},
      h('td', null, r.kind === 'run' ? h('a', {href: `#/runs/${r.runId}`}, r.source)
        : h('span', {class: 'tag ref', title: r.note}, 'reference')),
      h('td', null, r.pipeline), h('td', null, r.dataset), h('td', null, r.model), h('td', null, r.attack),
      h('td', null, r.step),
      metrics.map((m) => h('td', {class: 'num'}, r.values[m] === undefined ? '–' : metricText(r.values[m], r.units[m]))))))));
    const chart = barChart(rows.map((r) => ({
      label: r.kind === 'run' ? r.chartLabel : `${r.attack} ${r.step.replace('after ', '')}`,
      sublabel: r.kind === 'run' ? r.chartSub : 'CIFAR-10 ref.',
      values: metrics.map((m) => (r.values[m] === undefined ? null : r.values[m] * 100))})),
    metrics, {title: 'Side by side (%)', max: 100, unit: '%'});
    chart.id = 'compare-chart';
    mount(chartBox, chart);
  }

  function exportRows() {
    const {rows, metrics} = currentRows();
    return {rows, metrics, plain: rows.map((r) => {
      const out = {source: r.source, pipeline: r.pipeline, dataset: r.dataset, model: r.model, attack: r.attack, step: r.step};
      for (const m of metrics) out[m] = r.values[m] === undefined ? null : Number((r.values[m] * 100).toFixed(4));
      if (r.kind === 'reference') out.note = `${reference.label}; ${r.note}`;
      return out;
    })};
  }

  function csv() {
    const {metrics, plain} = exportRows();
    const cols = ['source', 'pipeline', 'dataset', 'model', 'attack', 'step', ...metrics.map((m) => m), 'note'];
    const cell = (v) => {
      const text = v === null || v === undefined ? '' : String(v);
      return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const head = cols.map((c) => (metrics.includes(c) ? `${c} (%)` : c));
    return [head.map(cell).join(','), ...plain.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n');
  }

  function markdown() {
    const {metrics, plain} = exportRows();
    const esc = (v) => String(v === null || v === undefined ? '–' : v).replace(/\|/g, '\\|');
    const cols = ['source', 'pipeline', 'dataset', 'model', 'attack', 'step'];
    const lines = [
      `| ${[...cols, ...metrics.map((m) => `${m} (%)`)].join(' | ')} |`,
      `|${[...cols, ...metrics].map((c) => (metrics.includes(c) ? '---:' : '---')).join('|')}|`,
      ...plain.map((r) => `| ${[...cols.map((c) => esc(r[c])), ...metrics.map((m) => (r[m] === null ? '–' : r[m].toFixed(2)))].join(' | ')} |`),
    ];
    if (state.showReference) lines.push('', `Reference rows: ${reference.label} (${reference.setting}). ${reference.caveat} ${reference.derNote}`);
    return lines.join('\n');
  }

  function json() {
    const {plain} = exportRows();
    return JSON.stringify({exportedAt: new Date().toISOString(), unit: 'percent', rows: plain,
      reference: state.showReference ? {label: reference.label, source: reference.source, setting: reference.setting,
        caveat: reference.caveat} : undefined}, null, 2);
  }

  const refToggle = h('input', {type: 'checkbox', id: 'show-reference', checked: state.showReference, onchange: (e) => {
    state.showReference = e.target.checked;
    refAttack.disabled = !state.showReference;
    render();
  }});
  const refAttack = h('select', {id: 'reference-attack', value: state.referenceAttack, disabled: !state.showReference,
    onchange: (e) => {
      state.referenceAttack = e.target.value;
      render();
    }}, h('option', {value: ''}, 'all attacks'),
  [...new Set(reference.rows.map((r) => r.attack))].map((a) => h('option', {value: a}, a)));
  const rowsSelect = h('select', {id: 'rows-mode', value: state.rowsMode, onchange: (e) => {
    state.rowsMode = e.target.value;
    render();
  }}, h('option', {value: 'all'}, 'every evaluated step'), h('option', {value: 'final'}, 'final step only'));

  mount(view,
    pageHead('Compare runs', h('p', {class: 'muted'}, 'One row per evaluated step of each selected run (before defenses, then after each defense).')),
    picker,
    missing.length ? errorBox(`Not found: ${missing.map((m) => `run ${m.missing} (${m.error})`).join('; ')}`) : null,
    h('section', {class: 'card'},
      h('div', {class: 'toolbar'},
        h('label', {for: 'rows-mode', class: 'inline-label'}, 'Rows'), rowsSelect,
        h('div', {class: 'check-row'}, refToggle, h('label', {for: 'show-reference'}, 'Reference rows: ',
          h('strong', null, reference.label))),
        h('label', {for: 'reference-attack', class: 'sr-only'}, 'Reference attack'), refAttack,
        h('span', {class: 'spacer'}),
        h('button', {type: 'button', class: 'btn small', id: 'export-csv', onclick: () => download('purifier-comparison.csv', `${csv()}\n`, 'text/csv')}, 'CSV'),
        h('button', {type: 'button', class: 'btn small', id: 'export-json', onclick: () => download('purifier-comparison.json', `${json()}\n`, 'application/json')}, 'JSON'),
        h('button', {type: 'button', class: 'btn small', id: 'export-md', onclick: () => download('purifier-comparison.md', `${markdown()}\n`, 'text/markdown')}, 'Markdown'),
        h('button', {type: 'button', class: 'btn small ghost', onclick: async () => {
          toast(await copyText(markdown()) ? 'Markdown table copied.' : 'Copy failed; use the Markdown download.');
        }}, 'Copy Markdown')),
      h('p', {class: 'muted small ref-note'}, `Reference numbers: ${reference.setting}. ${reference.caveat} ${reference.derNote}`),
      tableBox, chartBox));
  render();
  return null;
}

function runPicker(runs, ids) {
  const chosen = new Set(ids);
  const go = () => {
    window.location.hash = `#/compare?ids=${[...chosen].sort((a, b) => a - b).join(',')}`;
  };
  const button = h('button', {type: 'button', class: 'btn primary', id: 'compare-apply', onclick: go}, 'Compare these runs');
  return h('details', {class: 'card picker-card', open: ids.length ? null : true},
    h('summary', null, ids.length ? `Comparing ${ids.length} run${ids.length === 1 ? '' : 's'}: ${ids.map((i) => `#${i}`).join(', ')} — change selection`
      : 'Choose runs to compare'),
    runs.length ? h('div', {class: 'table-wrap picker-table'}, h('table', {class: 'data compact'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Select')),
        ['Run', 'Name', 'Status', 'Created'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', null, runs.map((run) => {
        const id = `pick-${run.id}`;
        return h('tr', null,
          h('td', null, h('input', {type: 'checkbox', id, checked: chosen.has(run.id), 'data-run-id': String(run.id),
            onchange: (e) => {
              if (e.target.checked) chosen.add(run.id);
              else chosen.delete(run.id);
            }})),
          h('td', null, h('label', {for: id}, `#${run.id}`)), h('td', null, run.name),
          h('td', null, statusBadge(run.status)),
          h('td', null, dateTime(run.createdAt)));
      })))) : h('p', {class: 'muted'}, 'No runs yet.'),
    h('div', {class: 'actions'}, button));
}
