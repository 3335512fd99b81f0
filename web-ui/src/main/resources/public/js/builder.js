// The pipeline builder: dataset → model → attack → defenses → metrics → seed, every form generated from the
// components' parameter descriptors, checked in the page and by the server, saved, shown as JSON, and run.
import {api, ApiError, hasRole, session} from './api.js';
import {h, mount, toast, copyText, download, debounce, uid} from './dom.js';
import {paramForm, defaults, parseValue} from './params.js';
import {loadComponents, findComponent, contractText, KIND_WORDS} from './catalog.js';
import {on} from './events.js';
import {bytes, dateTime} from './format.js';

const DRAFT_KEY = 'purifier.builder.draft';

/** Loads the preset shown on first open. */
export async function examplePipeline() {
  const response = await fetch('data/example-pipeline.json');
  return response.json();
}

/** Puts a pipeline into the builder (used by the run page's "Open in builder"). */
export function openInBuilder(spec, name) {
  const copy = JSON.parse(JSON.stringify(spec));
  if (name) copy.name = name;
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({spec: copy, savedId: null}));
  window.location.hash = '#/builder';
}

/** The pipeline JSON as the server and `./purifier run FILE` take it. */
export function cleanSpec(spec) {
  const out = {};
  if (spec.name && String(spec.name).trim()) out.name = String(spec.name).trim();
  if (spec.seed !== undefined && spec.seed !== null && spec.seed !== '') out.seed = spec.seed;
  out.dataset = spec.dataset;
  const m = spec.model || {};
  if (m.source === 'stored') out.model = {source: 'stored', modelId: m.modelId || null};
  else if (m.source === 'train') out.model = {source: 'train', architecture: m.architecture, training: m.training || {}};
  else out.model = m;
  if (spec.attack && spec.attack.id) out.attack = spec.attack;
  out.defenses = spec.defenses || [];
  out.metrics = (spec.metrics || []).map((x) => (x.params && Object.keys(x.params).length ? x : {id: x.id}));
  if (spec.limits && spec.limits.stepTimeoutSeconds !== undefined && spec.limits.stepTimeoutSeconds !== '') {
    out.limits = {stepTimeoutSeconds: spec.limits.stepTimeoutSeconds};
  }
  return out;
}

function normalize(raw) {
  const spec = raw && typeof raw === 'object' ? JSON.parse(JSON.stringify(raw)) : {};
  spec.name = spec.name || '';
  if (spec.seed === undefined) spec.seed = 42;
  spec.dataset = spec.dataset || {id: '', params: {}};
  spec.dataset.params = spec.dataset.params || {};
  spec.model = spec.model || {source: 'stored', modelId: null};
  if (spec.model.source === 'train') {
    spec.model.architecture = spec.model.architecture || {id: '', params: {}};
    spec.model.architecture.params = spec.model.architecture.params || {};
    spec.model.training = spec.model.training || {};
  }
  if (spec.attack) spec.attack.params = spec.attack.params || {};
  spec.defenses = (spec.defenses || []).map((d) => ({...d, params: d.params || {}}));
  spec.metrics = (spec.metrics || []).map((x) => (typeof x === 'string' ? {id: x} : x));
  spec.limits = spec.limits || {};
  return spec;
}

/** Renders the builder into `view`; returns the clean-up function. */
export async function builderView(view) {
  const canRun = hasRole('researcher');
  const state = {
    spec: null, savedId: null, savedName: null, modelMode: 'stored',
    byKind: {}, zoo: {available: false, architectures: [], training: []}, models: [], pipelines: [],
    errors: new Map(), problems: [], validation: {state: 'idle', text: ''}, sideError: null,
    upload: {formatId: '', params: {}, name: '', error: null, busy: false}, lastTrain: null, lastStored: null,
    busy: false,
  };

  mount(view, h('p', {class: 'muted'}, 'Loading the installed components…'));
  const [byKind, zoo, models, pipelines] = await Promise.all([
    loadComponents(), api('/api/architectures'), api('/api/models'), api('/api/pipelines')]);
  Object.assign(state, {byKind, zoo, models, pipelines});

  const draft = readDraft();
  if (draft) {
    state.spec = normalize(draft.spec);
    state.savedId = draft.savedId || null;
    state.savedName = draft.savedName || null;
  } else {
    state.spec = normalize(await examplePipeline());
  }
  state.modelMode = state.spec.model.source === 'train' ? 'train' : 'stored';

  const form = h('div', {class: 'builder-form'});
  const side = h('aside', {class: 'builder-side', 'aria-label': 'Check, run and JSON'});
  const jsonArea = h('textarea', {class: 'json', id: 'pipeline-json', readonly: true, rows: 18, spellcheck: 'false',
    'aria-label': 'Pipeline JSON'});
  const validateLater = debounce(() => validateNow(), 450);

  mount(view,
    h('div', {class: 'page-head'},
      h('h1', null, 'Pipeline builder'),
      h('p', {class: 'muted'}, 'Pick a dataset and a model, add defenses in order, choose metrics and a seed. '
        + 'Every form comes from the component\'s own parameter descriptor; the server checks the pipeline as you type.')),
    h('div', {class: 'builder'}, form, side));

  function readDraftSpec() {
    return cleanSpec(state.spec);
  }

  function saveDraft() {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({spec: state.spec, savedId: state.savedId, savedName: state.savedName}));
  }

  // ---- change handling -------------------------------------------------------------------------------
  function changed(info = {}) {
    saveDraft();
    if (info.structural) renderForm();
    updateJson();
    state.validation = {state: 'pending', text: 'Checking with the server…'};
    renderStatus();
    validateLater();
  }

  function updateJson() {
    jsonArea.value = JSON.stringify(readDraftSpec(), null, 2);
  }

  // ---- server validation ------------------------------------------------------------------------------
  let validationSeq = 0;
  async function validateNow() {
    const seq = ++validationSeq;
    try {
      const result = await api('/api/pipelines/validate', {method: 'POST', json: readDraftSpec()});
      if (seq !== validationSeq) return;
      state.problems = [];
      state.validation = {state: 'ok', text: `The server accepts this pipeline: ${result.steps} steps, seed ${result.seed}.`};
    } catch (e) {
      if (seq !== validationSeq) return;
      if (e instanceof ApiError && e.status === 400) {
        state.problems = e.problems.length ? e.problems : [{parameter: 'pipeline', value: null, message: e.message}];
        const n = state.problems.length;
        state.validation = {state: 'problems', text: `The server found ${n} problem${n === 1 ? '' : 's'}.`};
      } else {
        state.problems = [];
        state.validation = {state: 'error', text: `Could not check the pipeline: ${e.message}`};
      }
    }
    showProblems();
    renderStatus();
  }

  function fieldFor(path) {
    const all = [...form.querySelectorAll('[data-path]')];
    let p = path;
    while (p) {
      const hit = all.find((el) => el.dataset.path === p);
      if (hit) return hit;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    return null;
  }

  function showProblems() {
    for (const el of form.querySelectorAll('.server-invalid')) el.classList.remove('server-invalid');
    for (const el of form.querySelectorAll('.server-error')) {
      el.textContent = '';
      el.hidden = true;
    }
    for (const problem of state.problems) {
      const field = fieldFor(problem.parameter);
      if (!field) continue;
      let box = [...field.children].find((c) => c.classList.contains('server-error'));
      if (!box) {
        box = h('p', {class: 'server-error'});
        field.append(box);
      }
      const exact = field.dataset.path === problem.parameter;
      const line = `Server: ${exact ? '' : `${problem.parameter}: `}${problem.message}`;
      box.textContent = box.textContent ? `${box.textContent}\n${line}` : line;
      box.hidden = false;
      field.classList.add('server-invalid');
    }
  }

  function focusPath(path) {
    const field = fieldFor(path);
    if (!field) return;
    field.scrollIntoView({block: 'center'});
    const input = field.querySelector('input, select, textarea, button');
    if (input) input.focus();
  }

  // ---- side panel -----------------------------------------------------------------------------------
  const statusBox = h('div', {class: 'validation', id: 'validation-status', role: 'status', 'aria-live': 'polite'});
  const problemList = h('ul', {class: 'problems', id: 'problem-list'});
  const sideAlert = h('div', {class: 'alert error', id: 'builder-error', role: 'alert', hidden: true});
  const runButton = h('button', {type: 'button', class: 'btn primary', id: 'run-pipeline', disabled: !canRun,
    onclick: () => runPipeline()}, 'Run pipeline');
  const validateButton = h('button', {type: 'button', class: 'btn', id: 'validate-pipeline',
    onclick: () => validateNow()}, 'Check now');
  const pasteArea = h('textarea', {class: 'json', rows: 8, id: 'paste-json', spellcheck: 'false',
    'aria-label': 'Pipeline JSON to load'});
  const pasteError = h('p', {class: 'field-error', role: 'alert'});
  mount(side,
    h('section', {class: 'card'},
      h('h2', null, 'Check and run'),
      statusBox, problemList, sideAlert,
      h('div', {class: 'actions'}, runButton, validateButton),
      canRun ? null : h('p', {class: 'muted small'},
        `Your role (${session.user.role}) can build and check pipelines; running, saving and uploading need the researcher role.`)),
    h('section', {class: 'card'},
      h('h2', null, 'Pipeline JSON'),
      h('p', {class: 'muted small'}, 'The same JSON works with ', h('code', null, './purifier run FILE'),
        ' and ', h('code', null, 'POST /api/runs'), '.'),
      jsonArea,
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'btn small', id: 'copy-json', onclick: async () => {
          const ok = await copyText(jsonArea.value, jsonArea);
          toast(ok ? 'Pipeline JSON copied.' : 'Select the JSON and copy it with Ctrl+C.');
        }}, 'Copy'),
        h('button', {type: 'button', class: 'btn small', onclick: () => download(
          `${(state.spec.name || 'pipeline').replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase()}.json`,
          `${jsonArea.value}\n`, 'application/json')}, 'Download')),
      h('details', {class: 'paste'},
        h('summary', null, 'Load pipeline JSON'),
        pasteArea, pasteError,
        h('button', {type: 'button', class: 'btn small', onclick: () => {
          try {
            const parsed = JSON.parse(pasteArea.value);
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
            loadSpec(parsed, null, null);
            pasteError.textContent = '';
            toast('Pipeline loaded from JSON.');
          } catch (e) {
            pasteError.textContent = `Not a pipeline: ${e.message}`;
          }
        }}, 'Load this JSON'))));

  function renderStatus() {
    const v = state.validation;
    statusBox.className = `validation ${v.state}`;
    statusBox.textContent = v.text || 'Not checked yet.';
    const localErrors = [...state.errors.entries()];
    const items = [
      ...localErrors.map(([path, message]) => ({path, message, origin: 'page'})),
      ...state.problems.map((p) => ({path: p.parameter, message: p.message, origin: 'server'})),
    ];
    mount(problemList, items.map((item) => h('li', {class: item.origin},
      h('button', {type: 'button', class: 'linklike', onclick: () => focusPath(item.path)}, item.path),
      `: ${item.message}`, item.origin === 'server' ? h('span', {class: 'tag'}, 'server') : null)));
    runButton.disabled = !canRun || state.busy;
  }

  function showSideError(message) {
    sideAlert.textContent = message || '';
    sideAlert.hidden = !message;
  }

  // ---- actions --------------------------------------------------------------------------------------
  async function runPipeline() {
    showSideError(null);
    if (state.errors.size > 0) {
      showSideError(`Fix the ${state.errors.size} field${state.errors.size === 1 ? '' : 's'} marked in red first.`);
      renderStatus();
      focusPath(state.errors.keys().next().value);
      return;
    }
    state.busy = true;
    renderStatus();
    try {
      const created = await api('/api/runs', {method: 'POST', json: readDraftSpec()});
      toast(`Run ${created.id} queued.`);
      window.location.hash = `#/runs/${created.id}`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.problems.length) {
        state.problems = e.problems;
        state.validation = {state: 'problems', text: `The server refused the run: ${e.problems.length} problem(s).`};
        showProblems();
      } else {
        showSideError(`The run was not started: ${e.message}`);
      }
    } finally {
      state.busy = false;
      renderStatus();
    }
  }

  async function savePipeline(asCopy) {
    const name = (state.spec.name || '').trim() || 'Untitled pipeline';
    try {
      let saved;
      if (state.savedId && !asCopy) {
        saved = await api(`/api/pipelines/${state.savedId}`, {method: 'PUT', json: {name, spec: readDraftSpec()}});
      } else {
        const copyName = asCopy ? `${name} (copy)` : name;
        if (asCopy) state.spec.name = copyName;
        saved = await api('/api/pipelines', {method: 'POST', json: {name: copyName, spec: {...readDraftSpec(), name: copyName}}});
      }
      state.savedId = saved.id;
      state.savedName = saved.name;
      state.pipelines = await api('/api/pipelines');
      toast(asCopy ? `Saved a copy as "${saved.name}".` : `Saved "${saved.name}".`);
      changed({structural: true});
    } catch (e) {
      showSideError(`Not saved: ${e.message}`);
    }
  }

  async function loadSaved(id) {
    try {
      const saved = await api(`/api/pipelines/${id}`);
      loadSpec(saved.spec, saved.id, saved.name);
      toast(`Loaded "${saved.name}".`);
    } catch (e) {
      showSideError(`Could not load the pipeline: ${e.message}`);
    }
  }

  async function deleteSaved(id) {
    const saved = state.pipelines.find((p) => p.id === id);
    if (!window.confirm(`Delete the saved pipeline "${saved ? saved.name : id}"?`)) return;
    try {
      await api(`/api/pipelines/${id}`, {method: 'DELETE'});
      if (state.savedId === id) state.savedId = null;
      state.pipelines = await api('/api/pipelines');
      toast('Saved pipeline deleted.');
      changed({structural: true});
    } catch (e) {
      showSideError(`Not deleted: ${e.message}`);
    }
  }

  function loadSpec(spec, savedId, savedName) {
    state.spec = normalize(spec);
    state.savedId = savedId;
    state.savedName = savedName;
    state.modelMode = state.spec.model.source === 'train' ? 'train' : 'stored';
    state.errors.clear();
    state.problems = [];
    changed({structural: true});
  }

  async function uploadModel(file) {
    const u = state.upload;
    u.error = null;
    if (!u.formatId) {
      u.error = 'Choose the model format first.';
      renderForm();
      return;
    }
    if (!file) {
      u.error = 'Choose a model file.';
      renderForm();
      return;
    }
    u.busy = true;
    renderForm();
    const query = new URLSearchParams({format: u.formatId, filename: file.name});
    if (u.name.trim()) query.set('name', u.name.trim());
    if (Object.keys(u.params).length) query.set('params', JSON.stringify(u.params));
    try {
      const stored = await api(`/api/models?${query}`, {method: 'POST', body: file,
        headers: {'Content-Type': 'application/octet-stream'}});
      state.models = await api('/api/models');
      state.spec.model = {source: 'stored', modelId: stored.id};
      state.modelMode = 'stored';
      u.name = '';
      toast(`Model "${stored.name}" uploaded and selected.`);
    } catch (e) {
      u.error = `Upload refused: ${e.message}`;
    } finally {
      u.busy = false;
    }
    changed({structural: true});
  }

  // ---- form sections --------------------------------------------------------------------------------
  function section(title, path, ...children) {
    return h('section', {class: 'card step-card', 'data-path': path, 'aria-label': title},
      h('h2', null, title), ...children, h('p', {class: 'server-error', hidden: true}));
  }

  function notInstalled(kind, id) {
    return h('div', {class: 'alert warn', role: 'note'},
      h('strong', null, `The ${KIND_WORDS[kind]} '${id}' is not installed on this server. `),
      `Deploy the bundle that provides it (see Bundles) or choose another ${KIND_WORDS[kind]}; `
      + 'the pipeline cannot run until then. Its parameters are kept as they are.');
  }

  /** A select of installed components of `kind` bound to ref.id; unknown ids stay selectable and are flagged. */
  function componentPicker(kind, ref, path, label, options = {}) {
    const id = uid('sel');
    const installed = state.byKind[kind] || [];
    const current = ref ? ref.id : '';
    const opts = [];
    if (options.noneLabel) opts.push(h('option', {value: ''}, options.noneLabel));
    else if (!current) opts.push(h('option', {value: ''}, `— choose a ${KIND_WORDS[kind]} —`));
    for (const c of installed) opts.push(h('option', {value: c.id}, `${c.name} (${c.id})`));
    if (current && !findComponent(state.byKind, kind, current)) {
      opts.push(h('option', {value: current}, `${current} — not installed`));
    }
    const select = h('select', {id, name: `${path}.id`, value: current || '', 'data-key': `${path}.id`,
      onchange: (e) => options.onSelect(e.target.value)}, opts);
    return h('div', {class: 'field picker', 'data-path': `${path}.id`},
      h('label', {for: id}, label), select, h('p', {class: 'server-error', hidden: true}));
  }

  function componentDetails(kind, ref, path) {
    if (!ref || !ref.id) return null;
    const component = findComponent(state.byKind, kind, ref.id);
    if (!component) {
      return h('div', null, notInstalled(kind, ref.id),
        Object.keys(ref.params || {}).length ? h('pre', {class: 'json small'}, JSON.stringify(ref.params, null, 2)) : null);
    }
    return h('div', null,
      h('p', {class: 'description'}, component.description,
        h('span', {class: 'bundle-tag'}, ` ${component.bundle ? `${component.bundle.symbolicName} ${component.bundle.version}` : ''}`)),
      paramForm(component.parameters, ref.params, {basePath: `${path}.params`, onChange: changed, errors: state.errors}));
  }

  function selectComponent(kind, ref, id) {
    ref.id = id;
    const component = findComponent(state.byKind, kind, id);
    ref.params = component ? defaults(component.parameters) : {};
    clearErrorsUnder(ref === state.spec.dataset ? 'dataset' : '');
  }

  function clearErrorsUnder(prefix) {
    for (const key of [...state.errors.keys()]) {
      if (!prefix || key.startsWith(prefix)) state.errors.delete(key);
    }
  }

  function pipelineSection() {
    const spec = state.spec;
    const nameId = uid('name');
    const seedId = uid('seed');
    const seedSpec = {name: 'seed', type: 'INTEGER', min: 0, max: null};
    const seedError = h('p', {class: 'field-error', 'aria-live': 'polite'});
    const savedSelectId = uid('saved');
    const savedSelect = h('select', {id: savedSelectId, value: state.savedId ? String(state.savedId) : ''},
      h('option', {value: ''}, state.pipelines.length ? '— saved pipelines —' : 'no saved pipelines yet'),
      state.pipelines.map((p) => h('option', {value: String(p.id)},
        `${p.name} · ${p.createdBy} · ${dateTime(p.updatedAt || p.createdAt)}`)));
    return section('Pipeline', 'pipeline',
      h('div', {class: 'row'},
        h('div', {class: 'field grow', 'data-path': 'name'},
          h('label', {for: nameId}, 'Name'),
          h('input', {id: nameId, name: 'name', type: 'text', value: spec.name, placeholder: 'default: a summary of the steps',
            oninput: (e) => {
              spec.name = e.target.value;
              changed();
            }}),
          h('p', {class: 'server-error', hidden: true})),
        h('div', {class: 'field narrow', 'data-path': 'seed'},
          h('label', {for: seedId}, 'Seed'),
          h('input', {id: seedId, name: 'seed', type: 'text', inputmode: 'numeric', value: String(spec.seed ?? ''),
            oninput: (e) => {
              const {value, error} = parseValue(seedSpec, e.target.value);
              spec.seed = value;
              seedError.textContent = error || '';
              if (error) state.errors.set('seed', error);
              else state.errors.delete('seed');
              e.target.setAttribute('aria-invalid', error ? 'true' : 'false');
              changed();
            }}),
          h('p', {class: 'help'}, 'Every step derives its own seed from it, so a pipeline repeats exactly.'),
          seedError, h('p', {class: 'server-error', hidden: true}))),
      h('div', {class: 'row saved-row'},
        h('label', {for: savedSelectId, class: 'inline-label'}, 'Saved'),
        savedSelect,
        h('button', {type: 'button', class: 'btn small', id: 'load-saved', onclick: () => {
          if (savedSelect.value) loadSaved(Number(savedSelect.value));
        }}, 'Load'),
        h('button', {type: 'button', class: 'btn small', id: 'save-pipeline', disabled: !canRun,
          onclick: () => savePipeline(false)}, state.savedId ? 'Save changes' : 'Save'),
        h('button', {type: 'button', class: 'btn small', id: 'duplicate-pipeline', disabled: !canRun,
          onclick: () => savePipeline(true)}, 'Duplicate'),
        h('button', {type: 'button', class: 'btn small danger-ghost', disabled: !canRun || !savedSelect.value,
          onclick: () => savedSelect.value && deleteSaved(Number(savedSelect.value))}, 'Delete saved'),
        h('span', {class: 'spacer'}),
        h('button', {type: 'button', class: 'btn small ghost', id: 'load-example', onclick: async () => {
          loadSpec(await examplePipeline(), null, null);
          toast('Example pipeline loaded.');
        }}, 'Example'),
        h('button', {type: 'button', class: 'btn small ghost', id: 'new-pipeline', onclick: () => loadSpec(blankSpec(), null, null)}, 'New')),
      state.savedId ? h('p', {class: 'muted small'}, `Editing saved pipeline #${state.savedId} "${state.savedName || ''}".`) : null);
  }

  function blankSpec() {
    const first = (kind) => (state.byKind[kind][0] || {}).id || '';
    return {name: '', seed: 42, dataset: {id: first('dataset'), params: {}},
      model: {source: state.models.length || !state.zoo.available ? 'stored' : 'train',
        modelId: state.models.length ? state.models[0].id : null},
      defenses: [], metrics: []};
  }

  function datasetSection() {
    const ref = state.spec.dataset;
    fillDefaults('dataset', ref);
    return section('1. Dataset', 'dataset',
      componentPicker('dataset', ref, 'dataset', 'Dataset', {onSelect: (id) => {
        selectComponent('dataset', ref, id);
        changed({structural: true});
      }}),
      componentDetails('dataset', ref, 'dataset'));
  }

  function fillDefaults(kind, ref) {
    const component = ref && ref.id ? findComponent(state.byKind, kind, ref.id) : null;
    if (!component) return;
    for (const p of component.parameters) if (ref.params[p.name] === undefined) ref.params[p.name] = p.defaultValue;
  }

  function modelSection() {
    const model = state.spec.model;
    const radioName = uid('source');
    const radio = (value, label, disabled) => {
      const id = uid('src');
      return h('div', {class: 'radio'},
        h('input', {type: 'radio', id, name: radioName, value, checked: state.modelMode === value, disabled,
          'data-key': `model-source-${value}`, onchange: () => switchModelMode(value)}),
        h('label', {for: id}, label));
    };
    let body;
    if (state.modelMode === 'train') body = trainBody(model);
    else if (state.modelMode === 'upload') body = uploadBody();
    else body = storedBody(model);
    return section('2. Model', 'model',
      h('fieldset', {class: 'radios', 'data-path': 'model.source'},
        h('legend', null, 'Where the model comes from'),
        radio('train', 'Train a zoo architecture', false),
        radio('stored', 'Use a stored model', false),
        radio('upload', 'Upload a model file', !canRun),
        h('p', {class: 'server-error', hidden: true})),
      body);
  }

  function switchModelMode(mode) {
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
    clearErrorsUnder('model');
    changed({structural: true});
  }

  function trainBody(model) {
    const zoo = state.zoo;
    if (!zoo.available) {
      return h('div', {class: 'alert warn', role: 'note', id: 'no-trainer'},
        h('strong', null, 'This server cannot train models (no model trainer is available). '),
        model.architecture && model.architecture.id
          ? `The pipeline asks to train '${model.architecture.id}'. ` : '',
        'Use a stored model, or upload one.');
    }
    const arch = model.architecture;
    const info = zoo.architectures.find((a) => a.id === arch.id);
    if (info) for (const p of info.parameters) if (arch.params[p.name] === undefined) arch.params[p.name] = p.defaultValue;
    for (const p of zoo.training) if (model.training[p.name] === undefined) model.training[p.name] = p.defaultValue;
    const selectId = uid('arch');
    const options = zoo.architectures.map((a) => h('option', {value: a.id}, `${a.name} (${a.id})`));
    if (arch.id && !info) options.push(h('option', {value: arch.id}, `${arch.id} — not in the zoo`));
    return h('div', null,
      h('div', {class: 'field picker', 'data-path': 'model.architecture.id'},
        h('label', {for: selectId}, 'Architecture'),
        h('select', {id: selectId, value: arch.id, 'data-key': 'model.architecture.id', onchange: (e) => {
          const next = zoo.architectures.find((a) => a.id === e.target.value);
          model.architecture = {id: e.target.value, params: next ? defaults(next.parameters) : {}};
          clearErrorsUnder('model.architecture');
          changed({structural: true});
        }}, options),
        h('p', {class: 'server-error', hidden: true})),
      info ? h('p', {class: 'description'}, info.description)
        : h('div', {class: 'alert warn'}, `The architecture '${arch.id}' is not in this server's model zoo.`),
      info ? paramForm(info.parameters, arch.params, {basePath: 'model.architecture.params', onChange: changed, errors: state.errors}) : null,
      h('h3', null, 'Training'),
      h('p', {class: 'muted small'}, state.spec.attack && state.spec.attack.id
        ? 'Trained on the attack\'s poisoned training data.' : 'Trained on the clean training data (no attack chosen).'),
      h('div', {'data-path': 'model.training'},
        paramForm(zoo.training, model.training, {basePath: 'model.training', onChange: changed, errors: state.errors})));
  }

  function storedBody(model) {
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
          changed({structural: true});
        }}, options),
        h('p', {class: 'server-error', hidden: true})),
      model.modelId && !known ? h('div', {class: 'alert warn'},
        `No stored model has the id '${model.modelId}' on this server. Choose another or upload the file.`) : null,
      known ? modelFacts(known) : null,
      state.models.length ? null : h('p', {class: 'muted small'}, 'Upload a model file to use it here.'));
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

  function uploadBody() {
    const u = state.upload;
    const formats = state.byKind['model-format'] || [];
    if (!u.formatId && formats.length) {
      u.formatId = formats[0].id;
      u.params = defaults(formats[0].parameters);
    }
    const format = findComponent(state.byKind, 'model-format', u.formatId);
    const formatId = uid('fmt');
    const fileId = uid('file');
    const nameId = uid('mname');
    const fileInput = h('input', {type: 'file', id: fileId, name: 'model-file',
      accept: format && format.fileExtensions.length ? format.fileExtensions.map((e) => `.${e}`).join(',') : null});
    return h('div', {class: 'upload'},
      h('div', {class: 'row'},
        h('div', {class: 'field'},
          h('label', {for: formatId}, 'Format'),
          h('select', {id: formatId, name: 'model-format', value: u.formatId, 'data-key': 'upload-format', onchange: (e) => {
            u.formatId = e.target.value;
            const f = findComponent(state.byKind, 'model-format', u.formatId);
            u.params = f ? defaults(f.parameters) : {};
            renderForm();
          }}, formats.map((f) => h('option', {value: f.id}, `${f.name} (${f.id})`)))),
        h('div', {class: 'field'},
          h('label', {for: fileId}, 'Model file'), fileInput),
        h('div', {class: 'field'},
          h('label', {for: nameId}, 'Name (optional)'),
          h('input', {id: nameId, type: 'text', value: u.name, oninput: (e) => {
            u.name = e.target.value;
          }}))),
      format ? h('p', {class: 'description'}, format.description,
        format.fileExtensions.length ? ` Reads ${format.fileExtensions.map((e) => `.${e}`).join(', ')} files.` : '') : null,
      format && format.parameters.length
        ? paramForm(format.parameters, u.params, {basePath: 'upload.params', onChange: () => {}, errors: new Map()}) : null,
      u.error ? h('div', {class: 'alert error', role: 'alert', id: 'upload-error'}, u.error) : null,
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'btn', id: 'upload-model', disabled: u.busy || !canRun,
          onclick: () => uploadModel(fileInput.files[0])}, u.busy ? 'Uploading…' : 'Upload and use')));
  }

  function attackSection() {
    const spec = state.spec;
    const ref = spec.attack || {id: '', params: {}};
    fillDefaults('attack', ref);
    const stored = spec.model.source === 'stored';
    return section('3. Attack (optional)', 'attack',
      componentPicker('attack', ref, 'attack', 'Attack', {noneLabel: 'No attack', onSelect: (id) => {
        if (!id) spec.attack = null;
        else {
          spec.attack = {id, params: {}};
          selectComponent('attack', spec.attack, id);
        }
        clearErrorsUnder('attack');
        changed({structural: true});
      }}),
      h('p', {class: 'muted small'}, stored
        ? 'With a stored model the attack only builds the poisoned test set, so the ASR of the model can be measured under this trigger.'
        : 'With a trained model the attack poisons the training data.'),
      spec.attack ? componentDetails('attack', spec.attack, 'attack') : null);
  }

  function defensesSection() {
    const list = state.spec.defenses;
    const installed = state.byKind.defense || [];
    const cards = list.map((d, i) => defenseCard(d, i, list.length));
    return section('4. Defenses, in order', 'defenses',
      list.length ? null : h('p', {class: 'muted'}, 'No defenses: the run measures the model as it is.'),
      h('ol', {class: 'defense-list'}, cards),
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'btn', id: 'add-defense', 'data-key': 'add-defense', disabled: !installed.length,
          onclick: () => {
            const first = installed[0];
            list.push({id: first.id, params: defaults(first.parameters),
              ...(first.dataContract && first.dataContract.kind !== 'NONE'
                ? {data: {fraction: first.dataContract.defaultFraction}} : {})});
            changed({structural: true});
            const cardsNow = form.querySelectorAll('.defense-card');
            const last = cardsNow[cardsNow.length - 1];
            if (last) last.querySelector('select').focus();
          }}, 'Add defense'),
        installed.length ? null : h('span', {class: 'muted small'}, 'No defense is installed on this server.')));
  }

  function move(list, from, to) {
    const [item] = list.splice(from, 1);
    list.splice(to, 0, item);
    clearErrorsUnder('defenses');
    changed({structural: true});
  }

  function defenseCard(d, i, count) {
    const path = `defenses[${i}]`;
    const component = findComponent(state.byKind, 'defense', d.id);
    if (component) fillDefaults('defense', d);
    const contract = component ? component.dataContract : null;
    return h('li', {class: 'defense-card', 'data-path': path, 'data-defense': d.id},
      h('div', {class: 'defense-head'},
        h('span', {class: 'step-no', 'aria-hidden': 'true'}, String(i + 1)),
        componentPicker('defense', d, path, `Defense ${i + 1}`, {onSelect: (id) => {
          const next = findComponent(state.byKind, 'defense', id);
          d.id = id;
          d.params = next ? defaults(next.parameters) : {};
          if (next && next.dataContract && next.dataContract.kind !== 'NONE') d.data = {fraction: next.dataContract.defaultFraction};
          else delete d.data;
          clearErrorsUnder(path);
          changed({structural: true});
        }}),
        h('div', {class: 'order-buttons'},
          h('button', {type: 'button', class: 'btn small', disabled: i === 0, 'data-key': `${path}-up`,
            'aria-label': `Move defense ${i + 1} up`, onclick: () => move(state.spec.defenses, i, i - 1)}, '↑ Up'),
          h('button', {type: 'button', class: 'btn small', disabled: i === count - 1, 'data-key': `${path}-down`,
            'aria-label': `Move defense ${i + 1} down`, onclick: () => move(state.spec.defenses, i, i + 1)}, '↓ Down'),
          h('button', {type: 'button', class: 'btn small danger-ghost', 'aria-label': `Remove defense ${i + 1}`,
            onclick: () => {
              state.spec.defenses.splice(i, 1);
              clearErrorsUnder('defenses');
              changed({structural: true});
            }}, 'Remove'))),
      componentDetails('defense', d, path),
      contract ? dataFields(d, path, contract) : null,
      h('p', {class: 'server-error', hidden: true}));
  }

  function dataFields(d, path, contract) {
    const wrap = h('div', {class: 'contract'}, h('p', {class: 'contract-text'}, contractText(contract)));
    if (contract.kind === 'NONE') return wrap;
    d.data = d.data || {};
    const id = uid('frac');
    const fpath = `${path}.data.fraction`;
    const error = h('p', {class: 'field-error', 'aria-live': 'polite'});
    const fraction = d.data.fraction ?? contract.defaultFraction;
    const spec = {name: 'fraction', type: 'REAL', min: 0, max: 100};
    wrap.append(h('div', {class: 'field narrow', 'data-path': fpath},
      h('label', {for: id}, contract.kind === 'LABELED_CLEAN' ? 'Clean labeled data' : 'Held-out unlabeled data',
        h('span', {class: 'unit'}, ' (% of the training set)')),
      h('input', {id, name: fpath, type: 'text', inputmode: 'decimal', value: String(Math.round(fraction * 100000) / 1000),
        oninput: (e) => {
          const {value, error: problem} = parseValue(spec, e.target.value);
          const bad = problem || (typeof value === 'number' && value <= 0 ? 'must be more than 0' : null);
          d.data.fraction = typeof value === 'number' ? Math.round(value * 1000) / 100000 : value;
          error.textContent = bad || '';
          e.target.setAttribute('aria-invalid', bad ? 'true' : 'false');
          if (bad) state.errors.set(fpath, bad);
          else state.errors.delete(fpath);
          changed();
        }}),
      h('p', {class: 'help'}, `In (0, 100]; default ${Math.round(contract.defaultFraction * 1000) / 10}%.`),
      error, h('p', {class: 'server-error', hidden: true})));
    if (contract.kind === 'UNLABELED' && contract.outOfDistributionAllowed) {
      const oodId = uid('ood');
      const current = d.data.dataset ? d.data.dataset.id : '';
      wrap.append(h('div', {class: 'field', 'data-path': `${path}.data.dataset`},
        h('label', {for: oodId}, 'Unlabeled images from'),
        h('select', {id: oodId, value: current, onchange: (e) => {
          if (e.target.value) d.data.dataset = {id: e.target.value, params: {}};
          else delete d.data.dataset;
          changed({structural: true});
        }}, h('option', {value: ''}, 'held out from this dataset'),
        (state.byKind.dataset || []).map((ds) => h('option', {value: ds.id}, `another dataset: ${ds.name}`))),
        h('p', {class: 'help'}, 'Images of another dataset are resized and channel-converted to the model\'s input.'),
        h('p', {class: 'server-error', hidden: true})));
    }
    return wrap;
  }

  function metricsSection() {
    const chosen = state.spec.metrics;
    const installed = state.byKind.metric || [];
    const items = installed.map((m) => {
      const index = chosen.findIndex((x) => x.id === m.id);
      const id = uid('metric');
      const item = h('li', {class: 'metric-item', 'data-path': index >= 0 ? `metrics[${index}]` : `metric-${m.id}`},
        h('div', {class: 'check-row'},
          h('input', {type: 'checkbox', id, checked: index >= 0, 'data-key': `metric-${m.id}`, value: m.id,
            onchange: (e) => {
              if (e.target.checked) chosen.push({id: m.id, params: defaults(m.parameters)});
              else chosen.splice(chosen.findIndex((x) => x.id === m.id), 1);
              clearErrorsUnder('metrics');
              changed({structural: true});
            }}),
          h('label', {for: id}, h('strong', null, m.name), ' ', h('code', null, m.id))),
        h('p', {class: 'muted small'}, m.description));
      if (index >= 0 && m.parameters.length) {
        chosen[index].params = chosen[index].params || {};
        item.append(paramForm(m.parameters, chosen[index].params,
          {basePath: `metrics[${index}].params`, onChange: changed, errors: state.errors}));
      }
      item.append(h('p', {class: 'server-error', hidden: true}));
      return item;
    });
    const missing = chosen.map((x, i) => ({x, i})).filter(({x}) => !findComponent(state.byKind, 'metric', x.id));
    return section('5. Metrics', 'metrics',
      h('p', {class: 'muted small'}, 'Evaluated after the model step (the baseline) and after every defense. '
        + 'None ticked means every installed metric.'),
      h('ul', {class: 'metric-list'}, items),
      missing.map(({x, i}) => h('div', {'data-path': `metrics[${i}]`, class: 'alert warn compact', role: 'note'},
        h('strong', null, `The metric '${x.id}' is not installed on this server.`), ' ',
        h('button', {type: 'button', class: 'btn small', onclick: () => {
          chosen.splice(i, 1);
          clearErrorsUnder('metrics');
          changed({structural: true});
        }}, `Drop ${x.id}`), h('p', {class: 'server-error', hidden: true}))));
  }

  function limitsSection() {
    const id = uid('timeout');
    const path = 'limits.stepTimeoutSeconds';
    const error = h('p', {class: 'field-error'});
    const spec = {name: 'stepTimeoutSeconds', type: 'INTEGER', min: 1, max: null};
    return section('Limits', 'limits',
      h('div', {class: 'field narrow', 'data-path': path},
        h('label', {for: id}, 'Time limit per step', h('span', {class: 'unit'}, ' (s)')),
        h('input', {id, name: path, type: 'text', inputmode: 'numeric', placeholder: 'server default',
          value: state.spec.limits.stepTimeoutSeconds === undefined ? '' : String(state.spec.limits.stepTimeoutSeconds),
          oninput: (e) => {
            if (e.target.value.trim() === '') {
              delete state.spec.limits.stepTimeoutSeconds;
              state.errors.delete(path);
              error.textContent = '';
            } else {
              const {value, error: problem} = parseValue(spec, e.target.value);
              state.spec.limits.stepTimeoutSeconds = value;
              error.textContent = problem || '';
              if (problem) state.errors.set(path, problem);
              else state.errors.delete(path);
            }
            changed();
          }}),
        h('p', {class: 'help'}, 'A step that runs longer fails with a time-out; empty uses the server\'s default.'),
        error, h('p', {class: 'server-error', hidden: true})));
  }

  function renderForm() {
    const active = document.activeElement;
    const key = active && form.contains(active) ? (active.dataset.key || active.name || null) : null;
    state.errors.clear();
    mount(form, pipelineSection(), datasetSection(), modelSection(), attackSection(), defensesSection(),
      metricsSection(), limitsSection());
    // Seed and fraction errors are computed by their inputs; re-check them after a re-render.
    for (const input of form.querySelectorAll('input[name="seed"], input[name$=".data.fraction"], input[name="limits.stepTimeoutSeconds"]')) {
      if (input.value !== '') input.dispatchEvent(new Event('input'));
    }
    showProblems();
    if (key) {
      const target = form.querySelector(`[data-key="${CSS.escape(key)}"]`) || form.querySelector(`[name="${CSS.escape(key)}"]`);
      if (target) target.focus();
    }
  }

  renderForm();
  updateJson();
  renderStatus();
  saveDraft();
  validateNow();

  const stop = on('registry', debounce(async () => {
    try {
      state.byKind = await loadComponents();
      state.zoo = await api('/api/architectures');
      renderForm();
      validateNow();
    } catch (e) {
      // signed out or offline; the shell reports it
    }
  }, 300));
  return () => {
    stop();
    validateLater.cancel();
  };
}

function readDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || 'null');
  } catch (e) {
    return null;
  }
}
