// Parameter forms generated from ParamSpec descriptors, with in-page validation of types and bounds. The field
// models (what to show) come from values.js; this module only turns them into elements and wires the events.
import {h, uid} from '../dom.js';
import {clone, fieldModel, parseValue, unknownNames} from './values.js';

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
  for (const name of unknownNames(specs, values)) {
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

function input(model, common, update) {
  if (model.kind === 'checkbox') {
    return h('input', {...common, type: 'checkbox', checked: model.checked, onchange: (e) => update(e.target.checked)});
  }
  if (model.kind === 'select') {
    return h('select', {...common, value: model.value, onchange: (e) => update(e.target.value)},
      model.options.map((o) => h('option', {value: o.value}, o.label)));
  }
  return h('input', {...common, type: 'text', value: model.value, spellcheck: 'false', autocomplete: 'off',
    inputmode: model.inputmode, oninput: (e) => update(e.target.value)});
}

function paramField(spec, values, basePath, onChange, errors, disabled) {
  const path = `${basePath}.${spec.name}`;
  const id = uid('p');
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  if (values[spec.name] === undefined) values[spec.name] = clone(spec.defaultValue);
  const model = fieldModel(spec, values[spec.name]);
  const field = h('div', {class: `field${model.kind === 'checkbox' ? ' checkbox' : ''}`, 'data-path': path,
    'data-param': spec.name});
  const errorBox = h('p', {class: 'field-error', id: errorId, 'aria-live': 'polite'});
  const serverBox = h('p', {class: 'server-error', 'aria-live': 'polite', hidden: true});
  let control = null;
  const showError = (message) => {
    errorBox.textContent = message || '';
    field.classList.toggle('invalid', Boolean(message));
    control.setAttribute('aria-invalid', message ? 'true' : 'false');
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
  control = input(model, {id, name: path, 'aria-describedby': `${helpId} ${errorId}`, disabled}, update);
  const label = h('label', {for: id}, model.label, ' ', h('code', {class: 'pname'}, spec.name),
    model.unit ? h('span', {class: 'unit'}, ` (${model.unit})`) : null);
  if (model.kind === 'checkbox') field.append(h('div', {class: 'check-row'}, control, label));
  else field.append(label, control);
  field.append(
    h('p', {class: 'help', id: helpId}, model.help ? `${model.help} ` : '', h('span', {class: 'spec'}, model.description)),
    errorBox, serverBox);
  showError(model.error);
  return field;
}
