// The builder's metrics card (installed metrics to tick, with their parameters) and limits card.
import {h, uid} from '../dom.js';
import {findComponent} from '../catalog.js';
import {paramForm} from '../params/form.js';
import {defaults} from '../params/values.js';
import {numberSpec} from '../pipeline/schema.js';
import {numberField, section} from './fields.js';

function metricItem(ctx, m) {
  const {store} = ctx;
  const chosen = store.state.spec.metrics;
  const index = chosen.findIndex((x) => x.id === m.id);
  const id = uid('metric');
  const item = h('li', {class: 'metric-item', 'data-path': index >= 0 ? `metrics[${index}]` : `metric-${m.id}`},
    h('div', {class: 'check-row'},
      h('input', {type: 'checkbox', id, checked: index >= 0, 'data-key': `metric-${m.id}`, value: m.id,
        onchange: (e) => {
          if (e.target.checked) chosen.push({id: m.id, params: defaults(m.parameters)});
          else chosen.splice(chosen.findIndex((x) => x.id === m.id), 1);
          store.clearErrorsUnder('metrics');
          ctx.changed({structural: true});
        }}),
      h('label', {for: id}, h('strong', null, m.name), ' ', h('code', null, m.id))),
    h('p', {class: 'muted small'}, m.description));
  if (index >= 0 && m.parameters.length) {
    chosen[index].params = chosen[index].params || {};
    item.append(paramForm(m.parameters, chosen[index].params,
      {basePath: `metrics[${index}].params`, onChange: ctx.changed, errors: store.state.errors}));
  }
  item.append(h('p', {class: 'server-error', hidden: true}));
  return item;
}

/** "5. Metrics". */
export function metricsSection(ctx) {
  const {store} = ctx;
  const chosen = store.state.spec.metrics;
  const installed = store.state.byKind.metric || [];
  const missing = chosen.map((x, i) => ({x, i})).filter(({x}) => !findComponent(store.state.byKind, 'metric', x.id));
  return section('5. Metrics', 'metrics',
    h('p', {class: 'muted small'}, 'Evaluated after the model step (the baseline) and after every defense. '
      + 'None ticked means every installed metric.'),
    h('ul', {class: 'metric-list'}, installed.map((m) => metricItem(ctx, m))),
    missing.map(({x, i}) => h('div', {'data-path': `metrics[${i}]`, class: 'alert warn compact', role: 'note'},
      h('strong', null, `The metric '${x.id}' is not installed on this server.`), ' ',
      h('button', {type: 'button', class: 'btn small', onclick: () => {
        chosen.splice(i, 1);
        store.clearErrorsUnder('metrics');
        ctx.changed({structural: true});
      }}, `Drop ${x.id}`), h('p', {class: 'server-error', hidden: true}))));
}

/** "Limits": the time limit per step, empty for the server's default. */
export function limitsSection(ctx) {
  const limits = ctx.store.state.spec.limits;
  const path = 'limits.stepTimeoutSeconds';
  const value = limits.stepTimeoutSeconds;
  return section('Limits', 'limits',
    numberField(ctx, path, numberSpec(ctx.store.state.schema, path), {
      label: 'Time limit per step', unit: 's', placeholder: 'server default', optional: true,
      text: value === undefined || value === null ? '' : String(value),
      help: 'A step that runs longer fails with a time-out; empty uses the server\'s default.',
      set: (next) => {
        if (next === undefined) delete limits.stepTimeoutSeconds;
        else limits.stepTimeoutSeconds = next;
      }}));
}
