// The builder's dataset and attack cards.
import {h} from '../dom.js';
import {componentDetails, componentPicker, fillDefaults, section, selectComponent} from './fields.js';

/** "1. Dataset". */
export function datasetSection(ctx) {
  const ref = ctx.store.state.spec.dataset;
  fillDefaults(ctx, 'dataset', ref);
  return section('1. Dataset', 'dataset',
    componentPicker(ctx, 'dataset', ref, 'dataset', 'Dataset', {onSelect: (id) => {
      selectComponent(ctx, 'dataset', ref, id);
      ctx.store.clearErrorsUnder('dataset');
      ctx.changed({structural: true});
    }}),
    componentDetails(ctx, 'dataset', ref, 'dataset'));
}

/** "3. Attack (optional)". */
export function attackSection(ctx) {
  const spec = ctx.store.state.spec;
  const ref = spec.attack || {id: '', params: {}};
  fillDefaults(ctx, 'attack', ref);
  const stored = spec.model.source === 'stored';
  return section('3. Attack (optional)', 'attack',
    componentPicker(ctx, 'attack', ref, 'attack', 'Attack', {noneLabel: 'No attack', onSelect: (id) => {
      if (!id) spec.attack = null;
      else {
        spec.attack = {id, params: {}};
        selectComponent(ctx, 'attack', spec.attack, id);
      }
      ctx.store.clearErrorsUnder('attack');
      ctx.changed({structural: true});
    }}),
    h('p', {class: 'muted small'}, stored
      ? 'With a stored model the attack only builds the poisoned test set, so the ASR of the model can be measured under this trigger.'
      : 'With a trained model the attack poisons the training data.'),
    spec.attack ? componentDetails(ctx, 'attack', spec.attack, 'attack') : null);
}
