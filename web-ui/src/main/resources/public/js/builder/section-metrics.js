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

/** One optional number of `holder` at `path` (`holder` is the record its last name belongs to). */
function optionalNumber(ctx, holder, path, options) {
  const name = path.slice(path.lastIndexOf('.') + 1);
  const value = holder[name];
  return numberField(ctx, path, numberSpec(ctx.store.state.schema, path), {
    ...options, optional: true,
    text: value === undefined || value === null ? '' : String(value),
    set: (next) => {
      if (next === undefined) delete holder[name];
      else holder[name] = next;
    }});
}

/**
 * "Limits": the time limit per step and the resources of the run's worker (CPUs, memory, time limit of the run),
 * each empty for the server's default.
 */
export function limitsSection(ctx) {
  const {limits, resources} = ctx.store.state.spec;
  return section('Limits and resources', 'limits',
    optionalNumber(ctx, limits, 'limits.stepTimeoutSeconds', {
      label: 'Time limit per step', unit: 's', placeholder: 'server default',
      help: 'A step that runs longer fails with a time-out; empty uses the server\'s default.'}),
    optionalNumber(ctx, resources, 'resources.cpus', {
      label: 'CPUs for the run', unit: 'cores', placeholder: 'executor default',
      help: 'The worker\'s threads (a Slurm job\'s --cpus-per-task); empty uses the executor\'s default.'}),
    optionalNumber(ctx, resources, 'resources.memoryMegabytes', {
      label: 'Memory for the run', unit: 'MiB', placeholder: 'executor default',
      help: 'Heap and native memory of the worker (a Slurm job\'s --mem); empty uses the executor\'s default.'}),
    optionalNumber(ctx, resources, 'resources.timeLimitMinutes', {
      label: 'Time limit of the run', unit: 'min', placeholder: 'steps × step limit + 1 h',
      help: 'The whole run (a Slurm job\'s --time); a run that passes it is stopped.'}));
}
