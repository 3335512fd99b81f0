// The pipeline builder: dataset → model → attack → defenses → metrics → seed, every form generated from the
// components' parameter descriptors and the pipeline schema, checked in the page and by the server, saved,
// shown as JSON, and run. This module loads what the server offers and wires the parts together; the state is
// owned by store.js, the cards are the section-*.js modules.
import {api, hasRole} from '../api.js';
import {h, mount, debounce} from '../dom.js';
import {loadComponents} from '../catalog.js';
import {on} from '../events.js';
import {createActions} from './actions.js';
import {createChecker} from './check.js';
import {createSide} from './side.js';
import {createStore, readDraft} from './store.js';
import {examplePipeline, pipelineSection} from './section-pipeline.js';
import {attackSection, datasetSection} from './section-data.js';
import {modelSection} from './section-model.js';
import {defensesSection} from './section-defenses.js';
import {limitsSection, metricsSection} from './section-metrics.js';

const SECTIONS = [pipelineSection, datasetSection, modelSection, attackSection, defensesSection, metricsSection,
  limitsSection];

/** Rebuilds the form from the state, keeping the focus on the same control. */
function renderForm(ctx) {
  const active = document.activeElement;
  const key = active && ctx.form.contains(active) ? (active.dataset.key || active.name || null) : null;
  ctx.store.state.errors.clear();
  mount(ctx.form, SECTIONS.map((section) => section(ctx)));
  ctx.check.showProblems();
  if (key) {
    const target = ctx.form.querySelector(`[data-key="${CSS.escape(key)}"]`) || ctx.form.querySelector(`[name="${CSS.escape(key)}"]`);
    if (target) target.focus();
  }
}

/** Renders the builder into `view`; returns the clean-up function. */
export async function builderView(view) {
  mount(view, h('p', {class: 'muted'}, 'Loading the installed components…'));
  const [byKind, zoo, models, pipelines, schema] = await Promise.all([loadComponents(), api('/api/architectures'),
    api('/api/models'), api('/api/pipelines'), api('/api/pipelines/schema')]);
  const draft = readDraft() || {spec: await examplePipeline()};
  const store = createStore({byKind, zoo, models, pipelines, schema}, draft);
  const ctx = {store, canRun: hasRole('researcher'), changed: (info) => store.changed(info),
    form: h('div', {class: 'builder-form'})};
  ctx.renderForm = () => renderForm(ctx);
  ctx.actions = createActions(ctx);
  ctx.check = createChecker(ctx);
  ctx.side = createSide(ctx);

  store.subscribe((info) => {
    if (info.structural) ctx.renderForm();
    ctx.side.updateJson();
    store.state.validation = {state: 'pending', text: 'Checking with the server…'};
    ctx.side.renderStatus();
    ctx.check.validateLater();
  });

  mount(view,
    h('div', {class: 'page-head'},
      h('h1', null, 'Pipeline builder'),
      h('p', {class: 'muted'}, 'Pick a dataset and a model, add defenses in order, choose metrics and a seed. '
        + 'Every form comes from the component\'s own parameter descriptor; the server checks the pipeline as you type.')),
    h('div', {class: 'builder'}, ctx.form, ctx.side.element));

  ctx.renderForm();
  ctx.side.updateJson();
  ctx.side.renderStatus();
  store.saveDraft();
  ctx.check.validateNow();

  const stop = on('registry', debounce(async () => {
    try {
      store.state.byKind = await loadComponents();
      store.state.zoo = await api('/api/architectures');
      ctx.renderForm();
      ctx.check.validateNow();
    } catch (e) {
      // signed out or offline; the shell reports it
    }
  }, 300));
  return () => {
    stop();
    ctx.check.validateLater.cancel();
  };
}
