// The run page's cards as elements: steps, metrics (table and chart), curves, pictures, artifacts, provenance.
// What they show is computed in tables.js; each function here fills its box from a run detail.
import {withToken} from '../api.js';
import {h, mount} from '../dom.js';
import {duration, isFinal, metricText, plainError, shortHash} from '../format.js';
import {statusBadge, progressBar} from '../widgets.js';
import {barChart, lineChart} from '../charts.js';
import {stepLabel} from '../metrics.js';
import {artifactRows, caption, curveGroups, metricsModel, pictures, provenanceFacts} from './tables.js';

const th = (text) => h('th', {scope: 'col'}, text);

/** The steps table; returns Map index → {bar, statusCell, messageCell, step} for live updates. */
export function renderSteps(box, detail) {
  const rows = new Map();
  const trs = detail.steps.map((st) => {
    const bar = progressBar(st.status === 'SUCCEEDED' ? 1 : st.progress, `progress of step ${st.index + 1}`);
    const statusCell = h('td', null, statusBadge(st.status));
    const messageCell = h('td', {class: 'message-cell'}, st.error ? h('span', {class: 'error-line'}, plainError(st.error)) : (st.message || ''));
    rows.set(st.index, {bar, statusCell, messageCell, step: st});
    return h('tr', {'data-step': String(st.index)},
      h('td', null, String(st.index + 1)),
      h('td', null, st.title, h('div', {class: 'muted small'}, `${st.kind} · ${st.componentId}`)),
      statusCell, h('td', null, bar), h('td', null, duration(st.startedAt, st.finishedAt)),
      h('td', {class: 'small'}, st.bundleSymbolicName ? `${st.bundleSymbolicName} ${st.bundleVersion}` : '–'),
      messageCell);
  });
  mount(box, h('table', {class: 'data', id: 'steps-table'},
    h('thead', null, h('tr', null, ['#', 'Step', 'Status', 'Progress', 'Time', 'Bundle', 'Message'].map(th))),
    h('tbody', null, trs)));
  return rows;
}

/** Metrics before and after every step: table with changes against the model step, bar chart, other values. */
export function renderMetrics(box, detail) {
  const model = metricsModel(detail);
  if (!model) {
    mount(box, h('p', {class: 'muted'}, isFinal(detail.run.status)
      ? 'This run recorded no metric values.' : 'Metric values appear after the model step is evaluated.'));
    return;
  }
  const table = h('table', {class: 'data metrics-table', id: 'metrics-table'},
    h('thead', null, h('tr', null, th('Metric'),
      model.steps.map((st) => h('th', {scope: 'col'}, stepLabel(st), h('div', {class: 'muted small'}, `step ${st.index + 1}`))))),
    h('tbody', null, model.rows.map((row) => h('tr', {'data-metric': row.name},
      h('th', {scope: 'row'}, row.name, h('div', {class: 'muted small'}, row.direction)),
      row.cells.map((c) => h('td', {class: 'num'}, c.text, c.delta ? h('div', {class: `delta ${c.delta.tone}`}, c.delta.text) : null))))));
  const chart = model.names.length ? barChart(model.groups, model.names, {title: 'Metrics per step (%)', max: 100, unit: '%'}) : null;
  if (chart) chart.id = 'metrics-chart';
  mount(box, h('div', {class: 'metrics-layout'}, h('div', {class: 'table-wrap'}, table), chart),
    model.others.length ? h('details', {class: 'more'}, h('summary', null, `All other metric values (${model.others.length})`),
      h('div', {class: 'table-wrap'}, h('table', {class: 'data compact'},
        h('thead', null, h('tr', null, ['Step', 'Metric', 'Name', 'Value'].map(th))),
        h('tbody', null, model.others.map((m) => h('tr', null, h('td', null, String(m.stepIndex + 1)), h('td', null, m.metricId),
          h('td', null, m.name), h('td', {class: 'num'}, metricText(m.value, m.unit)))))))) : null);
}

/** One line chart per step and series group. */
export function renderCurves(box, detail) {
  const groups = curveGroups(detail.curves, detail.steps);
  mount(box, groups.length ? groups.map((g) => lineChart(g.series, {title: g.title, xLabel: 'epoch'}))
    : h('p', {class: 'muted'}, 'No per-epoch curves were recorded.'));
}

function artifactUrl(detail, a) {
  return withToken(`/api/runs/${detail.run.id}/artifacts/${a.stepIndex}/${encodeURIComponent(a.name)}`);
}

/** Trigger pictures (clean and poisoned samples), then other pictures. */
export function renderPictures(box, detail) {
  const list = pictures(detail.artifacts);
  mount(box, list.length ? h('div', {class: 'pictures'}, list.map((a) => h('figure', {class: 'picture'},
    h('img', {src: artifactUrl(detail, a), alt: `${caption(a.name)} (step ${a.stepIndex + 1})`, loading: 'lazy'}),
    h('figcaption', null, caption(a.name), h('div', {class: 'muted small'}, `step ${a.stepIndex + 1}`)))))
    : h('p', {class: 'muted'}, 'No trigger pictures (runs with an attack show clean and poisoned samples here).'));
}

/** Every artifact as a download link; purified models are tagged. */
export function renderArtifacts(box, detail) {
  const rows = artifactRows(detail);
  mount(box, rows.length ? h('ul', {class: 'artifact-list'}, rows.map((r) => h('li', null,
    h('a', {href: artifactUrl(detail, r.artifact), download: r.artifact.name}, r.artifact.name),
    r.purifiedModel ? h('span', {class: 'tag'}, 'purified model') : null,
    h('span', {class: 'muted small'}, r.facts)))) : h('p', {class: 'muted'}, 'No artifacts yet.'));
}

const facts = (pairs) => h('dl', {class: 'facts'}, pairs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]));

/** Seed, platform, dataset and every step's plugin, bundle and parameters. */
export function renderProvenance(box, detail) {
  const p = detail.provenance || {};
  const ds = p.dataset;
  mount(box, facts(provenanceFacts(p)),
    ds ? h('div', null, h('h3', null, 'Dataset'), facts([['Id', ds.id], ['Content hash', ds.contentHash],
      ['Train / test', `${ds.trainSize} / ${ds.testSize}`], ['Shape', ds.shape]].filter(([, v]) => v !== undefined && v !== null))) : null,
    (p.steps || []).length ? h('div', {class: 'table-wrap'}, h('h3', null, 'Steps'), h('table', {class: 'data compact', id: 'provenance-steps'},
      h('thead', null, h('tr', null, ['#', 'Kind', 'Id', 'Seed', 'Bundle', 'SHA-256', 'Parameters'].map(th))),
      h('tbody', null, p.steps.map((st) => h('tr', null,
        h('td', null, String(st.index + 1)), h('td', null, st.kind), h('td', null, st.id), h('td', {class: 'mono'}, String(st.seed)),
        h('td', null, st.bundle ? `${st.bundle} ${st.bundleVersion}` : '–'),
        h('td', {class: 'mono', title: st.bundleSha256 || ''}, shortHash(st.bundleSha256)),
        h('td', null, st.params ? h('code', {class: 'params'}, JSON.stringify(st.params)) : '–')))))) : null);
}
