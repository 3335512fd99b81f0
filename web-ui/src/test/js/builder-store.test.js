import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createStore, readDraft} from '../../main/resources/public/js/builder/store.js';

const schema = JSON.parse(readFileSync(new URL('../../../../docs/pipeline.schema.json', import.meta.url), 'utf8'));

function memoryStorage() {
  const items = new Map();
  return {getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)), items};
}

const offer = {byKind: {}, zoo: {available: true, architectures: [], training: []}, models: [], pipelines: [], schema};

test('the store starts from the draft in the shape the forms edit, and keeps every change as the draft', () => {
  const storage = memoryStorage();
  const store = createStore(offer, {spec: {dataset: {id: 'd'}, model: {source: 'train'}}, savedId: 7, savedName: 'mine'}, storage);
  assert.equal(store.state.modelMode, 'train');
  assert.equal(store.state.savedId, 7);
  assert.deepEqual(store.state.spec.model.architecture, {id: '', params: {}});
  const seen = [];
  store.subscribe((info) => seen.push(info));
  store.state.spec.name = 'edited';
  store.changed();
  assert.deepEqual(seen, [{}]);
  assert.deepEqual(readDraft(storage), {spec: store.state.spec, savedId: 7, savedName: 'mine'});
});

test('loading another pipeline forgets the problems of the old one and rebuilds the form', () => {
  const store = createStore(offer, {spec: {}}, memoryStorage());
  store.state.errors.set('seed', 'must be at least 0');
  store.state.problems = [{parameter: 'dataset.id', message: 'required'}];
  const seen = [];
  const stop = store.subscribe((info) => seen.push(info));
  store.load({model: {source: 'stored', modelId: 'm-1'}}, 3, 'saved');
  assert.deepEqual(seen, [{structural: true}]);
  assert.equal(store.state.errors.size, 0);
  assert.deepEqual(store.state.problems, []);
  assert.deepEqual([store.state.savedId, store.state.savedName, store.state.modelMode], [3, 'saved', 'stored']);
  stop();
  store.changed({structural: true});
  assert.equal(seen.length, 1);
});

test('page errors are forgotten under a path prefix, or all of them', () => {
  const store = createStore(offer, {spec: {}}, memoryStorage());
  for (const path of ['defenses[0].params.x', 'defenses[1].data.fraction', 'seed']) store.state.errors.set(path, 'bad');
  store.clearErrorsUnder('defenses');
  assert.deepEqual([...store.state.errors.keys()], ['seed']);
  store.clearErrorsUnder('');
  assert.equal(store.state.errors.size, 0);
});

test('a broken draft reads as none', () => {
  assert.equal(readDraft({getItem: () => '{not json'}), null);
  assert.equal(readDraft({getItem: () => null}), null);
});
