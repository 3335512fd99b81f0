// Building blocks of the builder's form: step cards, component pickers with their parameter forms, and number
// fields whose bounds come from the pipeline schema. Each takes the builder context {store, changed, canRun}.
import {h, uid} from '../dom.js';
import {findComponent, KIND_WORDS} from '../catalog.js';
import {paramForm} from '../params/form.js';
import {defaults, parseValue} from '../params/values.js';

/** A step card of the form; `path` is the JSON path problems of the whole step are shown at. */
export function section(title, path, ...children) {
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
export function componentPicker(ctx, kind, ref, path, label, options = {}) {
  const {byKind} = ctx.store.state;
  const id = uid('sel');
  const current = ref ? ref.id : '';
  const opts = [];
  if (options.noneLabel) opts.push(h('option', {value: ''}, options.noneLabel));
  else if (!current) opts.push(h('option', {value: ''}, `— choose a ${KIND_WORDS[kind]} —`));
  for (const c of byKind[kind] || []) opts.push(h('option', {value: c.id}, `${c.name} (${c.id})`));
  if (current && !findComponent(byKind, kind, current)) opts.push(h('option', {value: current}, `${current} — not installed`));
  const select = h('select', {id, name: `${path}.id`, value: current || '', 'data-key': `${path}.id`,
    onchange: (e) => options.onSelect(e.target.value)}, opts);
  return h('div', {class: 'field picker', 'data-path': `${path}.id`},
    h('label', {for: id}, label), select, h('p', {class: 'server-error', hidden: true}));
}

/** The chosen component's description and parameter form (or a warning when it is not installed). */
export function componentDetails(ctx, kind, ref, path) {
  if (!ref || !ref.id) return null;
  const component = findComponent(ctx.store.state.byKind, kind, ref.id);
  if (!component) {
    return h('div', null, notInstalled(kind, ref.id),
      Object.keys(ref.params || {}).length ? h('pre', {class: 'json small'}, JSON.stringify(ref.params, null, 2)) : null);
  }
  return h('div', null,
    h('p', {class: 'description'}, component.description,
      h('span', {class: 'bundle-tag'}, ` ${component.bundle ? `${component.bundle.symbolicName} ${component.bundle.version}` : ''}`)),
    paramForm(component.parameters, ref.params, {basePath: `${path}.params`, onChange: ctx.changed, errors: ctx.store.state.errors}));
}

/** Points `ref` at component `id` with its default parameters. */
export function selectComponent(ctx, kind, ref, id) {
  ref.id = id;
  const component = findComponent(ctx.store.state.byKind, kind, id);
  ref.params = component ? defaults(component.parameters) : {};
}

/** Fills the parameters `ref` leaves out with the component's defaults (they show in the form and the JSON). */
export function fillDefaults(ctx, kind, ref) {
  const component = ref && ref.id ? findComponent(ctx.store.state.byKind, kind, ref.id) : null;
  if (!component) return;
  ref.params = ref.params || {};
  for (const p of component.parameters) if (ref.params[p.name] === undefined) ref.params[p.name] = p.defaultValue;
}

/**
 * A number field at JSON path `path`, checked in the page against `spec` (from the schema's bounds).
 * options: label, unit, help, placeholder, text (shown value), set(value) (stores a parsed value, or undefined
 * when the field is emptied and `optional`), optional.
 */
export function numberField(ctx, path, spec, options) {
  const id = uid('num');
  const error = h('p', {class: 'field-error', 'aria-live': 'polite'});
  const input = h('input', {id, name: path, type: 'text', inputmode: spec.type === 'INTEGER' ? 'numeric' : 'decimal',
    placeholder: options.placeholder || null, value: options.text, oninput: (e) => {
      show(e.target.value, true);
      ctx.changed();
    }});
  function show(text, store) {
    let problem = null;
    if (options.optional && text.trim() === '') {
      if (store) options.set(undefined);
    } else {
      const parsed = parseValue(spec, text);
      if (store) options.set(parsed.value);
      problem = parsed.error;
    }
    error.textContent = problem || '';
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    if (problem) ctx.store.state.errors.set(path, problem);
    else ctx.store.state.errors.delete(path);
  }
  if (options.text !== '') show(options.text, false);
  return h('div', {class: 'field narrow', 'data-path': path},
    h('label', {for: id}, options.label, options.unit ? h('span', {class: 'unit'}, ` (${options.unit})`) : null),
    input, h('p', {class: 'help'}, options.help), error, h('p', {class: 'server-error', hidden: true}));
}
