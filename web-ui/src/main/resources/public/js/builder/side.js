// The builder's side panel: the check status and problem list, run and check buttons, the pipeline JSON (copy,
// download, load pasted JSON).
import {h, mount, toast, copyText, download} from '../dom.js';
import {session} from '../api.js';
import {pipelineText} from '../pipeline/spec.js';

function jsonCard(ctx, jsonArea) {
  const pasteArea = h('textarea', {class: 'json', rows: 8, id: 'paste-json', spellcheck: 'false',
    'aria-label': 'Pipeline JSON to load'});
  const pasteError = h('p', {class: 'field-error', role: 'alert'});
  const fileName = () => `${(ctx.store.state.spec.name || 'pipeline').replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase()}.json`;
  return h('section', {class: 'card'},
    h('h2', null, 'Pipeline JSON'),
    h('p', {class: 'muted small'}, 'The same JSON works with ', h('code', null, './purifier run FILE'),
      ' and ', h('code', null, 'POST /api/runs'), '.'),
    jsonArea,
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'btn small', id: 'copy-json', onclick: async () => {
        const ok = await copyText(jsonArea.value, jsonArea);
        toast(ok ? 'Pipeline JSON copied.' : 'Select the JSON and copy it with Ctrl+C.');
      }}, 'Copy'),
      h('button', {type: 'button', class: 'btn small', onclick: () => download(fileName(), `${jsonArea.value}\n`,
        'application/json')}, 'Download')),
    h('details', {class: 'paste'},
      h('summary', null, 'Load pipeline JSON'),
      pasteArea, pasteError,
      h('button', {type: 'button', class: 'btn small', onclick: () => {
        try {
          const parsed = JSON.parse(pasteArea.value);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
          ctx.store.load(parsed, null, null);
          pasteError.textContent = '';
          toast('Pipeline loaded from JSON.');
        } catch (e) {
          pasteError.textContent = `Not a pipeline: ${e.message}`;
        }
      }}, 'Load this JSON')));
}

/** The side panel of a builder context: {element, renderStatus, updateJson, showSideError}. */
export function createSide(ctx) {
  const {state} = ctx.store;
  const jsonArea = h('textarea', {class: 'json', id: 'pipeline-json', readonly: true, rows: 18, spellcheck: 'false',
    'aria-label': 'Pipeline JSON'});
  const statusBox = h('div', {class: 'validation', id: 'validation-status', role: 'status', 'aria-live': 'polite'});
  const problemList = h('ul', {class: 'problems', id: 'problem-list'});
  const sideAlert = h('div', {class: 'alert error', id: 'builder-error', role: 'alert', hidden: true});
  const runButton = h('button', {type: 'button', class: 'btn primary', id: 'run-pipeline', disabled: !ctx.canRun,
    onclick: () => ctx.actions.runPipeline()}, 'Run pipeline');
  const validateButton = h('button', {type: 'button', class: 'btn', id: 'validate-pipeline',
    onclick: () => ctx.check.validateNow()}, 'Check now');
  const element = h('aside', {class: 'builder-side', 'aria-label': 'Check, run and JSON'},
    h('section', {class: 'card'},
      h('h2', null, 'Check and run'),
      statusBox, problemList, sideAlert,
      h('div', {class: 'actions'}, runButton, validateButton),
      ctx.canRun ? null : h('p', {class: 'muted small'},
        `Your role (${session.user.role}) can build and check pipelines; running, saving and uploading need the researcher role.`)),
    jsonCard(ctx, jsonArea));

  function renderStatus() {
    const v = state.validation;
    statusBox.className = `validation ${v.state}`;
    statusBox.textContent = v.text || 'Not checked yet.';
    const items = [
      ...[...state.errors.entries()].map(([path, message]) => ({path, message, origin: 'page'})),
      ...state.problems.map((p) => ({path: p.parameter, message: p.message, origin: 'server'})),
    ];
    mount(problemList, items.map((item) => h('li', {class: item.origin},
      h('button', {type: 'button', class: 'linklike', onclick: () => ctx.check.focusPath(item.path)}, item.path),
      `: ${item.message}`, item.origin === 'server' ? h('span', {class: 'tag'}, 'server') : null)));
    runButton.disabled = !ctx.canRun || state.busy;
  }

  function updateJson() {
    jsonArea.value = pipelineText(state.spec, state.schema);
  }

  function showSideError(message) {
    sideAlert.textContent = message || '';
    sideAlert.hidden = !message;
  }

  return {element, renderStatus, updateJson, showSideError};
}
