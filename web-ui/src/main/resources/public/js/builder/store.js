// The builder's state, owned here: the pipeline being edited (in the shape of the format's schema), what the
// server offers, the problems found in the page and by the server, and the draft kept in sessionStorage so that
// a reload or a visit to another page keeps the work. Views change the state and then call changed(); the
// listeners (form, JSON, validation) react.
import {normalize} from '../pipeline/spec.js';

const DRAFT_KEY = 'purifier.builder.draft';

/** The draft kept in `storage`, or null. */
export function readDraft(storage = globalThis.sessionStorage) {
  try {
    return JSON.parse(storage.getItem(DRAFT_KEY) || 'null');
  } catch (e) {
    return null;
  }
}

/** Puts a pipeline into the builder (the run page's "Open in builder") and goes there. */
export function openInBuilder(spec, name, storage = globalThis.sessionStorage) {
  const copy = JSON.parse(JSON.stringify(spec));
  if (name) copy.name = name;
  storage.setItem(DRAFT_KEY, JSON.stringify({spec: copy, savedId: null}));
  globalThis.location.hash = '#/builder';
}

/**
 * A store for the builder. `offer` holds what the server offers: byKind (components), zoo, models, pipelines,
 * schema (the pipeline format); `draft` is {spec, savedId, savedName}.
 */
export function createStore(offer, draft, storage = globalThis.sessionStorage) {
  const state = {
    ...offer, spec: null, savedId: null, savedName: null, modelMode: 'stored',
    errors: new Map(), problems: [], validation: {state: 'idle', text: ''},
    upload: {formatId: '', params: {}, name: '', error: null, busy: false}, lastTrain: null, lastStored: null,
    busy: false,
  };
  const listeners = new Set();

  function saveDraft() {
    storage.setItem(DRAFT_KEY, JSON.stringify({spec: state.spec, savedId: state.savedId, savedName: state.savedName}));
  }

  function put(spec, savedId, savedName) {
    state.spec = normalize(spec, state.schema);
    state.savedId = savedId || null;
    state.savedName = savedName || null;
    state.modelMode = state.spec.model.source === 'train' ? 'train' : 'stored';
  }

  put(draft.spec, draft.savedId, draft.savedName);

  return {
    state,
    saveDraft,
    /** Calls fn(info) after every change; returns the unsubscribe function. */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Records a change (info.structural: the form must be rebuilt) and tells the listeners. */
    changed(info = {}) {
      saveDraft();
      for (const fn of listeners) fn(info);
    },
    /** Replaces the pipeline (loaded, pasted, example or new) and forgets the problems of the old one. */
    load(spec, savedId, savedName) {
      put(spec, savedId, savedName);
      state.errors.clear();
      state.problems = [];
      this.changed({structural: true});
    },
    /** Forgets the page's own errors under a JSON path prefix (all of them for ''). */
    clearErrorsUnder(prefix) {
      for (const key of [...state.errors.keys()]) {
        if (!prefix || key.startsWith(prefix)) state.errors.delete(key);
      }
    },
  };
}
