// The model card's upload form: format, file, name, the format's own parameters.
import {h, uid} from '../dom.js';
import {findComponent} from '../catalog.js';
import {paramForm} from '../params/form.js';
import {defaults} from '../params/values.js';

/** The upload form; "Upload and use" stores the model and selects it. */
export function uploadBody(ctx) {
  const {state} = ctx.store;
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
          ctx.renderForm();
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
      h('button', {type: 'button', class: 'btn', id: 'upload-model', disabled: u.busy || !ctx.canRun,
        onclick: () => ctx.actions.uploadModel(fileInput.files[0])}, u.busy ? 'Uploading…' : 'Upload and use')));
}
