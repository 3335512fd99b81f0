// The builder's model card: train a zoo architecture, use a stored model, or upload one (section-upload.js).
import {h, uid} from '../dom.js';
import {bytes, dateTime} from '../format.js';
import {paramForm} from '../params/form.js';
import {defaults} from '../params/values.js';
import {section} from './fields.js';
import {uploadBody} from './section-upload.js';

function switchModelMode(ctx, mode) {
  const {state} = ctx.store;
  const model = state.spec.model;
  if (model.source === 'train') state.lastTrain = model;
  if (model.source === 'stored') state.lastStored = model;
  state.modelMode = mode;
  if (mode === 'train') {
    const arch = state.zoo.architectures[0];
    state.spec.model = state.lastTrain || {source: 'train',
      architecture: {id: arch ? arch.id : '', params: arch ? defaults(arch.parameters) : {}},
      training: defaults(state.zoo.training)};
  } else if (mode === 'stored') {
    state.spec.model = state.lastStored || {source: 'stored', modelId: state.models.length ? state.models[0].id : null};
  } else if (model.source !== 'stored') {
    state.spec.model = state.lastStored || {source: 'stored', modelId: null};
  }
  ctx.store.clearErrorsUnder('model');
  ctx.changed({structural: true});
}

function trainBody(ctx, model) {
  const {state} = ctx.store;
  const zoo = state.zoo;
  if (!zoo.available) {
    return h('div', {class: 'alert warn', role: 'note', id: 'no-trainer'},
      h('strong', null, 'This server cannot train models (no model trainer is available). '),
      model.architecture && model.architecture.id ? `The pipeline asks to train '${model.architecture.id}'. ` : '',
      'Use a stored model, or upload one.');
  }
  const arch = model.architecture;
  const info = zoo.architectures.find((a) => a.id === arch.id);
  if (info) for (const p of info.parameters) if (arch.params[p.name] === undefined) arch.params[p.name] = p.defaultValue;
  for (const p of zoo.training) if (model.training[p.name] === undefined) model.training[p.name] = p.defaultValue;
  const selectId = uid('arch');
  const options = zoo.architectures.map((a) => h('option', {value: a.id}, `${a.name} (${a.id})`));
  if (arch.id && !info) options.push(h('option', {value: arch.id}, `${arch.id} — not in the zoo`));
  const form = (specs, values, basePath) => paramForm(specs, values, {basePath, onChange: ctx.changed, errors: state.errors});
  return h('div', null,
    h('div', {class: 'field picker', 'data-path': 'model.architecture.id'},
      h('label', {for: selectId}, 'Architecture'),
      h('select', {id: selectId, value: arch.id, 'data-key': 'model.architecture.id', onchange: (e) => {
        const next = zoo.architectures.find((a) => a.id === e.target.value);
        model.architecture = {id: e.target.value, params: next ? defaults(next.parameters) : {}};
        ctx.store.clearErrorsUnder('model.architecture');
        ctx.changed({structural: true});
      }}, options),
      h('p', {class: 'server-error', hidden: true})),
    info ? h('p', {class: 'description'}, info.description)
      : h('div', {class: 'alert warn'}, `The architecture '${arch.id}' is not in this server's model zoo.`),
    info ? form(info.parameters, arch.params, 'model.architecture.params') : null,
    h('h3', null, 'Training'),
    h('p', {class: 'muted small'}, state.spec.attack && state.spec.attack.id
      ? 'Trained on the attack\'s poisoned training data.' : 'Trained on the clean training data (no attack chosen).'),
    h('div', {'data-path': 'model.training'}, form(zoo.training, model.training, 'model.training')));
}

function modelFacts(m) {
  const info = m.info || {};
  return h('dl', {class: 'facts'},
    h('dt', null, 'Format'), h('dd', null, m.formatId),
    h('dt', null, 'Architecture'), h('dd', null, info.architecture || '–'),
    h('dt', null, 'Input'), h('dd', null, info.inputShape || '–'),
    h('dt', null, 'Classes'), h('dd', null, (info.classNames || []).join(', ') || String(info.numClasses ?? '–')),
    h('dt', null, 'File'), h('dd', null, `${m.fileName} (${bytes(m.size)})`),
    h('dt', null, 'Uploaded'), h('dd', null, `${m.uploadedBy}, ${dateTime(m.createdAt)}`));
}

function storedBody(ctx, model) {
  const {state} = ctx.store;
  const selectId = uid('model');
  const known = state.models.find((m) => m.id === model.modelId);
  const options = [h('option', {value: ''}, state.models.length ? '— choose a stored model —' : 'no stored models yet')];
  for (const m of state.models) {
    const info = m.info || {};
    options.push(h('option', {value: m.id},
      `${m.name} · ${m.formatId} · ${info.inputShape || '?'} · ${info.numClasses ?? '?'} classes (${m.id})`));
  }
  if (model.modelId && !known) options.push(h('option', {value: model.modelId}, `${model.modelId} — not stored here`));
  return h('div', null,
    h('div', {class: 'field picker', 'data-path': 'model.modelId'},
      h('label', {for: selectId}, 'Stored model'),
      h('select', {id: selectId, value: model.modelId || '', 'data-key': 'model.modelId', onchange: (e) => {
        state.spec.model = {source: 'stored', modelId: e.target.value || null};
        ctx.changed({structural: true});
      }}, options),
      h('p', {class: 'server-error', hidden: true})),
    model.modelId && !known ? h('div', {class: 'alert warn'},
      `No stored model has the id '${model.modelId}' on this server. Choose another or upload the file.`) : null,
    known ? modelFacts(known) : null,
    state.models.length ? null : h('p', {class: 'muted small'}, 'Upload a model file to use it here.'));
}

/** "2. Model". */
export function modelSection(ctx) {
  const {state} = ctx.store;
  const model = state.spec.model;
  const radioName = uid('source');
  const radio = (value, label, disabled) => {
    const id = uid('src');
    return h('div', {class: 'radio'},
      h('input', {type: 'radio', id, name: radioName, value, checked: state.modelMode === value, disabled,
        'data-key': `model-source-${value}`, onchange: () => switchModelMode(ctx, value)}),
      h('label', {for: id}, label));
  };
  let body;
  if (state.modelMode === 'train') body = trainBody(ctx, model);
  else if (state.modelMode === 'upload') body = uploadBody(ctx);
  else body = storedBody(ctx, model);
  return section('2. Model', 'model',
    h('fieldset', {class: 'radios', 'data-path': 'model.source'},
      h('legend', null, 'Where the model comes from'),
      radio('train', 'Train a zoo architecture', false),
      radio('stored', 'Use a stored model', false),
      radio('upload', 'Upload a model file', !ctx.canRun),
      h('p', {class: 'server-error', hidden: true})),
    body);
}
