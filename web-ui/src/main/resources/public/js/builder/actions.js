// What the builder asks the server to do: run the pipeline, save, load and delete saved pipelines, upload a model.
import {api, ApiError} from '../api.js';
import {toast} from '../dom.js';
import {cleanSpec, pipelineText} from '../pipeline/spec.js';

/** The actions of a builder context. */
export function createActions(ctx) {
  const {store} = ctx;
  const {state} = store;

  async function runPipeline() {
    ctx.side.showSideError(null);
    if (state.errors.size > 0) {
      ctx.side.showSideError(`Fix the ${state.errors.size} field${state.errors.size === 1 ? '' : 's'} marked in red first.`);
      ctx.side.renderStatus();
      ctx.check.focusPath(state.errors.keys().next().value);
      return;
    }
    state.busy = true;
    ctx.side.renderStatus();
    try {
      const created = await api('/api/runs', {method: 'POST', body: pipelineText(state.spec, state.schema, 0),
        headers: {'Content-Type': 'application/json'}});
      toast(`Run ${created.id} queued.`);
      window.location.hash = `#/runs/${created.id}`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.problems.length) {
        state.problems = e.problems;
        state.validation = {state: 'problems', text: `The server refused the run: ${e.problems.length} problem(s).`};
        ctx.check.showProblems();
      } else {
        ctx.side.showSideError(`The run was not started: ${e.message}`);
      }
    } finally {
      state.busy = false;
      ctx.side.renderStatus();
    }
  }

  async function savePipeline(asCopy) {
    const name = (state.spec.name || '').trim() || 'Untitled pipeline';
    try {
      let saved;
      if (state.savedId && !asCopy) {
        saved = await api(`/api/pipelines/${state.savedId}`, {method: 'PUT', json: {name, spec: cleanSpec(state.spec, state.schema)}});
      } else {
        const copyName = asCopy ? `${name} (copy)` : name;
        if (asCopy) state.spec.name = copyName;
        saved = await api('/api/pipelines', {method: 'POST',
          json: {name: copyName, spec: {...cleanSpec(state.spec, state.schema), name: copyName}}});
      }
      state.savedId = saved.id;
      state.savedName = saved.name;
      state.pipelines = await api('/api/pipelines');
      toast(asCopy ? `Saved a copy as "${saved.name}".` : `Saved "${saved.name}".`);
      store.changed({structural: true});
    } catch (e) {
      ctx.side.showSideError(`Not saved: ${e.message}`);
    }
  }

  async function loadSaved(id) {
    try {
      const saved = await api(`/api/pipelines/${id}`);
      store.load(saved.spec, saved.id, saved.name);
      toast(`Loaded "${saved.name}".`);
    } catch (e) {
      ctx.side.showSideError(`Could not load the pipeline: ${e.message}`);
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
      store.changed({structural: true});
    } catch (e) {
      ctx.side.showSideError(`Not deleted: ${e.message}`);
    }
  }

  async function uploadModel(file) {
    const u = state.upload;
    u.error = !u.formatId ? 'Choose the model format first.' : !file ? 'Choose a model file.' : null;
    if (u.error) {
      ctx.renderForm();
      return;
    }
    u.busy = true;
    ctx.renderForm();
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
    store.changed({structural: true});
  }

  return {runPipeline, savePipeline, loadSaved, deleteSaved, uploadModel};
}
