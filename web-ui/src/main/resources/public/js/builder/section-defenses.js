// The builder's defenses card: an ordered list of defense steps, each with its parameters and the data its
// contract declares (a fraction in %, bounded by the pipeline schema; another dataset where allowed).
import {h, uid} from '../dom.js';
import {contractText, findComponent} from '../catalog.js';
import {numberSpec} from '../pipeline/schema.js';
import {defaults} from '../params/values.js';
import {componentDetails, componentPicker, fillDefaults, numberField, section} from './fields.js';

const percent = (fraction) => Math.round(fraction * 100000) / 1000;

function dataFields(ctx, d, path, contract) {
  const wrap = h('div', {class: 'contract'}, h('p', {class: 'contract-text'}, contractText(contract)));
  if (contract.kind === 'NONE') return wrap;
  d.data = d.data || {};
  const fraction = d.data.fraction ?? contract.defaultFraction;
  const spec = numberSpec(ctx.store.state.schema, `${path}.data.fraction`, 100);
  wrap.append(numberField(ctx, `${path}.data.fraction`, spec, {
    label: contract.kind === 'LABELED_CLEAN' ? 'Clean labeled data' : 'Held-out unlabeled data',
    unit: '% of the training set', text: String(percent(fraction)),
    help: `In (${spec.exclusiveMin ?? spec.min}, ${spec.max}]; default ${Math.round(contract.defaultFraction * 1000) / 10}%.`,
    set: (value) => {
      d.data.fraction = typeof value === 'number' ? Math.round(value * 1000) / 100000 : value;
    }}));
  if (contract.kind === 'UNLABELED' && contract.outOfDistributionAllowed) {
    const oodId = uid('ood');
    const current = d.data.dataset ? d.data.dataset.id : '';
    wrap.append(h('div', {class: 'field', 'data-path': `${path}.data.dataset`},
      h('label', {for: oodId}, 'Unlabeled images from'),
      h('select', {id: oodId, value: current, onchange: (e) => {
        if (e.target.value) d.data.dataset = {id: e.target.value, params: {}};
        else delete d.data.dataset;
        ctx.changed({structural: true});
      }}, h('option', {value: ''}, 'held out from this dataset'),
      (ctx.store.state.byKind.dataset || []).map((ds) => h('option', {value: ds.id}, `another dataset: ${ds.name}`))),
      h('p', {class: 'help'}, 'Images of another dataset are resized and channel-converted to the model\'s input.'),
      h('p', {class: 'server-error', hidden: true})));
  }
  return wrap;
}

function dataFor(component) {
  return component && component.dataContract && component.dataContract.kind !== 'NONE'
    ? {fraction: component.dataContract.defaultFraction} : undefined;
}

function defenseCard(ctx, d, i, count) {
  const {store} = ctx;
  const list = store.state.spec.defenses;
  const path = `defenses[${i}]`;
  const component = findComponent(store.state.byKind, 'defense', d.id);
  if (component) fillDefaults(ctx, 'defense', d);
  const contract = component ? component.dataContract : null;
  const restructure = () => {
    store.clearErrorsUnder('defenses');
    ctx.changed({structural: true});
  };
  const move = (to) => {
    const [item] = list.splice(i, 1);
    list.splice(to, 0, item);
    restructure();
  };
  return h('li', {class: 'defense-card', 'data-path': path, 'data-defense': d.id},
    h('div', {class: 'defense-head'},
      h('span', {class: 'step-no', 'aria-hidden': 'true'}, String(i + 1)),
      componentPicker(ctx, 'defense', d, path, `Defense ${i + 1}`, {onSelect: (id) => {
        const next = findComponent(store.state.byKind, 'defense', id);
        d.id = id;
        d.params = next ? defaults(next.parameters) : {};
        const data = dataFor(next);
        if (data) d.data = data;
        else delete d.data;
        store.clearErrorsUnder(path);
        ctx.changed({structural: true});
      }}),
      h('div', {class: 'order-buttons'},
        h('button', {type: 'button', class: 'btn small', disabled: i === 0, 'data-key': `${path}-up`,
          'aria-label': `Move defense ${i + 1} up`, onclick: () => move(i - 1)}, '↑ Up'),
        h('button', {type: 'button', class: 'btn small', disabled: i === count - 1, 'data-key': `${path}-down`,
          'aria-label': `Move defense ${i + 1} down`, onclick: () => move(i + 1)}, '↓ Down'),
        h('button', {type: 'button', class: 'btn small danger-ghost', 'aria-label': `Remove defense ${i + 1}`,
          onclick: () => {
            list.splice(i, 1);
            restructure();
          }}, 'Remove'))),
    componentDetails(ctx, 'defense', d, path),
    contract ? dataFields(ctx, d, path, contract) : null,
    h('p', {class: 'server-error', hidden: true}));
}

/** "4. Defenses, in order". */
export function defensesSection(ctx) {
  const list = ctx.store.state.spec.defenses;
  const installed = ctx.store.state.byKind.defense || [];
  return section('4. Defenses, in order', 'defenses',
    list.length ? null : h('p', {class: 'muted'}, 'No defenses: the run measures the model as it is.'),
    h('ol', {class: 'defense-list'}, list.map((d, i) => defenseCard(ctx, d, i, list.length))),
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'btn', id: 'add-defense', 'data-key': 'add-defense', disabled: !installed.length,
        onclick: () => {
          const first = installed[0];
          const data = dataFor(first);
          list.push({id: first.id, params: defaults(first.parameters), ...(data ? {data} : {})});
          ctx.changed({structural: true});
          const cards = ctx.form.querySelectorAll('.defense-card');
          const last = cards[cards.length - 1];
          if (last) last.querySelector('select').focus();
        }}, 'Add defense'),
      installed.length ? null : h('span', {class: 'muted small'}, 'No defense is installed on this server.')));
}
