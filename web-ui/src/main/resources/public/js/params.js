// Parameter forms generated from ParamSpec descriptors, with in-page validation of types and bounds.
import {h, uid} from './dom.js';
import {humanize, plainNumber} from './format.js';

/** The default values of a descriptor, as an object. */
export function defaults(specs) {
  const out = {};
  for (const spec of specs || []) out[spec.name] = clone(spec.defaultValue);
  return out;
}

function clone(value) {
  return Array.isArray(value) ? [...value] : value;
}

/** Text of a value in a text field. */
export function valueText(spec, value) {
  if (value === undefined || value === null) return '';
  if (spec.type === 'REAL_LIST') return Array.isArray(value) ? value.map(plainNumber).join(', ') : String(value);
  if (typeof value === 'number') return plainNumber(value);
  return String(value);
}

function boundsProblem(spec, n) {
  if (spec.min !== null && spec.min !== undefined && n < spec.min) return `must be at least ${plainNumber(spec.min)}`;
  if (spec.max !== null && spec.max !== undefined && n > spec.max) return `must be at most ${plainNumber(spec.max)}`;
  return null;
}

/**
 * Reads a field's raw input as the parameter's type. Returns {value, error}: value is what goes into the
 * pipeline JSON (the typed value when it parses, otherwise the raw text so that the server sees it too).
 */
export function parseValue(spec, raw) {
  switch (spec.type) {
    case 'BOOLEAN':
      return {value: Boolean(raw), error: null};
    case 'STRING':
      return {value: String(raw), error: null};
    case 'CHOICE':
      return {value: raw, error: spec.choices.includes(raw) ? null : `must be one of ${spec.choices.join(', ')}`};
    case 'INTEGER': {
      const text = String(raw).trim();
      if (text === '') return {value: raw, error: 'a whole number is required'};
      if (!/^[-+]?\d+$/.test(text)) return {value: raw, error: 'must be a whole number'};
      const n = Number(text);
      return {value: n, error: boundsProblem(spec, n)};
    }
    case 'REAL': {
      const text = String(raw).trim();
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return {value: raw, error: 'must be a number'};
      return {value: n, error: boundsProblem(spec, n)};
    }
    case 'REAL_LIST': {
      const parts = String(raw).split(/[\s,;]+/).filter((p) => p !== '');
      const values = parts.map(Number);
      const bad = parts.find((p, i) => !Number.isFinite(values[i]));
      if (bad !== undefined) return {value: raw, error: `'${bad}' is not a number`};
      for (const v of values) {
        const problem = boundsProblem(spec, v);
        if (problem) return {value: values, error: `every value ${problem}`};
      }
      return {value: values, error: null};
    }
    default:
      return {value: raw, error: null};
  }
}

/** Checks an already-typed value (as stored in the pipeline JSON); returns the problem or null. */
export function checkValue(spec, value) {
  if (value === undefined) return null;
  if (spec.type === 'BOOLEAN') return typeof value === 'boolean' ? null : 'must be true or false';
  if (spec.type === 'REAL_LIST' && Array.isArray(value)) return parseValue(spec, value.join(',')).error;
  return parseValue(spec, spec.type === 'STRING' ? String(value) : value).error;
}

/** One line describing type, range or choices, and default. */
export function describeSpec(spec) {
  const parts = [];
  const type = {INTEGER: 'whole number', REAL: 'number', BOOLEAN: 'yes/no', STRING: 'text', CHOICE: 'choice',
    REAL_LIST: 'list of numbers'}[spec.type] || spec.type;
  parts.push(type);
  const hasMin = spec.min !== null && spec.min !== undefined;
  const hasMax = spec.max !== null && spec.max !== undefined;
  if (hasMin && hasMax) parts.push(`${plainNumber(spec.min)} – ${plainNumber(spec.max)}`);
  else if (hasMin) parts.push(`≥ ${plainNumber(spec.min)}`);
  else if (hasMax) parts.push(`≤ ${plainNumber(spec.max)}`);
  const def = valueText(spec, spec.defaultValue);
  parts.push(`default ${def === '' ? '(empty)' : def}${spec.unit ? ` ${spec.unit}` : ''}`);
  return parts.join(' · ');
}

/**
 * A form for `specs` bound to the object `values` (edited in place).
 * options: basePath (JSON path of the params object), onChange(), errors (Map path → message, updated),
 * disabled.
 */
export function paramForm(specs, values, options) {
  const {basePath, onChange, errors, disabled} = options;
  const grid = h('div', {class: 'param-grid'});
  for (const spec of specs || []) {
    grid.append(paramField(spec, values, basePath, onChange, errors, disabled));
  }
  const known = new Set((specs || []).map((p) => p.name));
  for (const name of Object.keys(values)) {
    if (known.has(name)) continue;
    const path = `${basePath}.${name}`;
    grid.append(h('div', {class: 'field unknown', 'data-path': path},
      h('span', {class: 'label'}, name),
      h('code', {class: 'value'}, JSON.stringify(values[name])),
      h('p', {class: 'field-error'}, 'This parameter is not in the component\'s descriptor; the server will reject it.'),
      h('button', {type: 'button', class: 'btn small', disabled,
        onclick: () => {
          delete values[name];
          errors.delete(path);
          onChange({structural: true});
        }}, `Remove ${name}`)));
  }
  if (!specs || specs.length === 0) grid.append(h('p', {class: 'muted small'}, 'No parameters.'));
  return grid;
}

function paramField(spec, values, basePath, onChange, errors, disabled) {
  const path = `${basePath}.${spec.name}`;
  const id = uid('p');
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const field = h('div', {class: 'field', 'data-path': path, 'data-param': spec.name});
  const errorBox = h('p', {class: 'field-error', id: errorId, 'aria-live': 'polite'});
  const serverBox = h('p', {class: 'server-error', 'aria-live': 'polite', hidden: true});
  if (values[spec.name] === undefined) values[spec.name] = clone(spec.defaultValue);

  const showError = (message) => {
    errorBox.textContent = message || '';
    field.classList.toggle('invalid', Boolean(message));
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message) errors.set(path, message);
    else errors.delete(path);
  };
  const update = (raw) => {
    const {value, error} = parseValue(spec, raw);
    values[spec.name] = value;
    showError(error);
    serverBox.hidden = true;
    field.classList.remove('server-invalid');
    onChange({path});
  };

  let input;
  const common = {id, name: path, 'aria-describedby': `${helpId} ${errorId}`, disabled};
  if (spec.type === 'BOOLEAN') {
    input = h('input', {...common, type: 'checkbox', checked: Boolean(values[spec.name]),
      onchange: (e) => update(e.target.checked)});
    field.classList.add('checkbox');
  } else if (spec.type === 'CHOICE') {
    const current = String(values[spec.name]);
    const options = spec.choices.map((c) => h('option', {value: c}, c));
    if (!spec.choices.includes(current)) options.push(h('option', {value: current}, `${current} (not allowed)`));
    input = h('select', {...common, value: current, onchange: (e) => update(e.target.value)}, options);
  } else {
    const numeric = spec.type === 'INTEGER' || spec.type === 'REAL';
    input = h('input', {...common, type: 'text', value: valueText(spec, values[spec.name]), spellcheck: 'false',
      autocomplete: 'off', inputmode: spec.type === 'INTEGER' ? 'numeric' : (numeric ? 'decimal' : null),
      oninput: (e) => update(e.target.value)});
  }
  const label = h('label', {for: id}, humanize(spec.name), ' ', h('code', {class: 'pname'}, spec.name),
    spec.unit ? h('span', {class: 'unit'}, ` (${spec.unit})`) : null);
  if (spec.type === 'BOOLEAN') field.append(h('div', {class: 'check-row'}, input, label));
  else field.append(label, input);
  field.append(
    h('p', {class: 'help', id: helpId}, spec.help ? `${spec.help} ` : '', h('span', {class: 'spec'}, describeSpec(spec))),
    errorBox, serverBox);
  showError(checkValue(spec, values[spec.name]));
  return field;
}
