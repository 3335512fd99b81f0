// The builder's first card: name, seed, saved pipelines (load, save, duplicate, delete), example and new.
import {h, toast, uid} from '../dom.js';
import {dateTime} from '../format.js';
import {numberSpec} from '../pipeline/schema.js';
import {blankSpec} from '../pipeline/spec.js';
import {numberField, section} from './fields.js';

/** Loads the preset shown on first open. */
export async function examplePipeline() {
  const response = await fetch('data/example-pipeline.json');
  return response.json();
}

function savedRow(ctx) {
  const {state} = ctx.store;
  const {actions, canRun} = ctx;
  const selectId = uid('saved');
  const select = h('select', {id: selectId, value: state.savedId ? String(state.savedId) : ''},
    h('option', {value: ''}, state.pipelines.length ? '— saved pipelines —' : 'no saved pipelines yet'),
    state.pipelines.map((p) => h('option', {value: String(p.id)},
      `${p.name} · ${p.createdBy} · ${dateTime(p.updatedAt || p.createdAt)}`)));
  return h('div', {class: 'row saved-row'},
    h('label', {for: selectId, class: 'inline-label'}, 'Saved'),
    select,
    h('button', {type: 'button', class: 'btn small', id: 'load-saved', onclick: () => {
      if (select.value) actions.loadSaved(Number(select.value));
    }}, 'Load'),
    h('button', {type: 'button', class: 'btn small', id: 'save-pipeline', disabled: !canRun,
      onclick: () => actions.savePipeline(false)}, state.savedId ? 'Save changes' : 'Save'),
    h('button', {type: 'button', class: 'btn small', id: 'duplicate-pipeline', disabled: !canRun,
      onclick: () => actions.savePipeline(true)}, 'Duplicate'),
    h('button', {type: 'button', class: 'btn small danger-ghost', disabled: !canRun || !select.value,
      onclick: () => select.value && actions.deleteSaved(Number(select.value))}, 'Delete saved'),
    h('span', {class: 'spacer'}),
    h('button', {type: 'button', class: 'btn small ghost', id: 'load-example', onclick: async () => {
      ctx.store.load(await examplePipeline(), null, null);
      toast('Example pipeline loaded.');
    }}, 'Example'),
    h('button', {type: 'button', class: 'btn small ghost', id: 'new-pipeline',
      onclick: () => ctx.store.load(blankSpec(state.byKind, state.models, state.zoo), null, null)}, 'New'));
}

/** The "Pipeline" card. */
export function pipelineSection(ctx) {
  const {state} = ctx.store;
  const spec = state.spec;
  const nameId = uid('name');
  const seedSpec = numberSpec(state.schema, 'seed');
  return section('Pipeline', 'pipeline',
    h('div', {class: 'row'},
      h('div', {class: 'field grow', 'data-path': 'name'},
        h('label', {for: nameId}, 'Name'),
        h('input', {id: nameId, name: 'name', type: 'text', value: spec.name, placeholder: 'default: a summary of the steps',
          oninput: (e) => {
            spec.name = e.target.value;
            ctx.changed();
          }}),
        h('p', {class: 'server-error', hidden: true})),
      numberField(ctx, 'seed', seedSpec, {label: 'Seed', help: seedSpec.help, text: String(spec.seed ?? ''),
        set: (value) => {
          spec.seed = value;
        }})),
    savedRow(ctx),
    state.savedId ? h('p', {class: 'muted small'}, `Editing saved pipeline #${state.savedId} "${state.savedName || ''}".`) : null);
}
