// Checking the pipeline with the server (POST /api/pipelines/validate) as the user types, and showing each
// problem the server names next to the field at its JSON path.
import {api, ApiError} from '../api.js';
import {h, debounce} from '../dom.js';
import {closestPath} from '../pipeline/paths.js';
import {pipelineText} from '../pipeline/spec.js';

/** The checker of a builder context: {validateNow, validateLater, showProblems, focusPath}. */
export function createChecker(ctx) {
  const {state} = ctx.store;
  let seq = 0;

  function fieldFor(path) {
    const all = [...ctx.form.querySelectorAll('[data-path]')];
    const closest = closestPath(all.map((el) => el.dataset.path), path);
    return closest === null ? null : all.find((el) => el.dataset.path === closest);
  }

  function showProblems() {
    for (const el of ctx.form.querySelectorAll('.server-invalid')) el.classList.remove('server-invalid');
    for (const el of ctx.form.querySelectorAll('.server-error')) {
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

  async function validateNow() {
    const mine = ++seq;
    try {
      const result = await api('/api/pipelines/validate', {method: 'POST',
        body: pipelineText(state.spec, state.schema, 0), headers: {'Content-Type': 'application/json'}});
      if (mine !== seq) return;
      state.problems = [];
      state.validation = {state: 'ok', text: `The server accepts this pipeline: ${result.steps} steps, seed ${result.seed}.`};
    } catch (e) {
      if (mine !== seq) return;
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
    ctx.side.renderStatus();
  }

  return {validateNow, validateLater: debounce(validateNow, 450), showProblems, focusPath};
}
