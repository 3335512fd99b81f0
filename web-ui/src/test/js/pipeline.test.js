// The builder's pipeline JSON, driven by the committed schema (docs/pipeline.schema.json, the one the server
// publishes): shape for the forms, the cleaned JSON, 64-bit seeds, bounds of number fields and paths.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {blankSpec, cleanSpec, normalize, pipelineText} from '../../main/resources/public/js/pipeline/spec.js';
import {deref, numberSpec, schemaAt} from '../../main/resources/public/js/pipeline/schema.js';
import {closestPath, parentPath} from '../../main/resources/public/js/pipeline/paths.js';

const schema = JSON.parse(readFileSync(new URL('../../../../docs/pipeline.schema.json', import.meta.url), 'utf8'));
const example = JSON.parse(readFileSync(new URL('../../main/resources/public/data/example-pipeline.json', import.meta.url), 'utf8'));

test('members are found by their JSON path through lists and definitions', () => {
  assert.equal(schemaAt(schema, 'defenses[3].data.fraction').type, 'number');
  assert.equal(schemaAt(schema, 'model.source').enum.join(), 'train,stored');
  assert.equal(schemaAt(schema, 'dataset.params').type, 'object');
  assert.equal(schemaAt(schema, 'nope'), null);
  assert.equal(schemaAt(schema, 'dataset.params.x'), null);
  assert.match(deref(schema, schema.properties.attack).description, /attack plugin/);
  assert.throws(() => deref(schema, {$ref: '#/$defs/Missing'}), /no definition/);
});

test('number fields take their bounds and help from the schema', () => {
  const timeout = numberSpec(schema, 'limits.stepTimeoutSeconds');
  assert.deepEqual([timeout.type, timeout.min, timeout.max, timeout.exclusiveMin], ['INTEGER', 1, 604800, null]);
  const fraction = numberSpec(schema, 'defenses[0].data.fraction', 100);
  assert.deepEqual([fraction.type, fraction.min, fraction.max, fraction.exclusiveMin], ['REAL', null, 100, 0]);
  const seed = numberSpec(schema, 'seed');
  assert.equal(seed.defaultValue, 42);
  assert.match(seed.help, /repeats exactly/);
  assert.throws(() => numberSpec(schema, 'name'), /no number member name/);
});

test('normalize gives the forms every object they edit, with the schema defaults', () => {
  const spec = normalize({dataset: {id: 'blobs'}, defenses: [{id: 'npd'}], metrics: ['asr', {id: 'acc'}]}, schema);
  assert.equal(spec.seed, 42);
  assert.deepEqual(spec.dataset, {id: 'blobs', params: {}});
  assert.deepEqual(spec.model, {training: {}, source: 'stored', modelId: null});
  assert.deepEqual(spec.defenses, [{id: 'npd', params: {}, data: {}, outputFormats: []}]);
  assert.deepEqual(spec.metrics, [{id: 'asr', params: {}}, {id: 'acc', params: {}}]);
  assert.deepEqual(spec.limits, {});
  assert.equal(spec.attack, undefined);
  const trained = normalize({model: {source: 'train'}}, schema);
  assert.deepEqual(trained.model, {source: 'train', training: {}, architecture: {id: '', params: {}}});
  assert.deepEqual(normalize(null, schema).defenses, []);
});

test('the cleaned JSON leaves out what is empty, in the schema order, and keeps what the format does not know', () => {
  const spec = normalize(example, schema);
  spec.name = '  trimmed  ';
  spec.limits.stepTimeoutSeconds = 60;
  spec.extra = {kept: true};
  const clean = cleanSpec(spec, schema);
  assert.deepEqual(Object.keys(clean), ['name', 'seed', 'dataset', 'model', 'attack', 'defenses', 'metrics', 'limits', 'extra']);
  assert.equal(clean.name, 'trimmed');
  assert.deepEqual(clean.model, {source: 'train', architecture: {id: 'small-cnn'},
    training: {epochs: 10, optimizer: 'adam', learningRate: 0.001, weightDecay: 0, augment: false}});
  assert.deepEqual(clean.defenses, [{id: 'fst', data: {fraction: 0.05}}]);
  assert.deepEqual(clean.metrics, [{id: 'c-acc'}, {id: 'asr'}, {id: 'ra'}, {id: 'der'}]);
  assert.deepEqual(clean.limits, {stepTimeoutSeconds: 60});
  assert.deepEqual(clean.extra, {kept: true});
});

test('the resources of the run are a form of their own and leave the JSON when empty', () => {
  const spec = normalize(example, schema);
  assert.deepEqual(spec.resources, {});
  assert.equal(cleanSpec(spec, schema).resources, undefined, 'no resources: the executor decides');
  const cpus = numberSpec(schema, 'resources.cpus');
  assert.deepEqual([cpus.type, cpus.min, cpus.max], ['INTEGER', 1, 1024]);
  assert.deepEqual([numberSpec(schema, 'resources.memoryMegabytes').min, numberSpec(schema, 'resources.timeLimitMinutes').max],
    [1024, 43200]);
  spec.resources.memoryMegabytes = 8192;
  spec.limits.stepTimeoutSeconds = 60;
  const clean = cleanSpec(spec, schema);
  assert.deepEqual(clean.resources, {memoryMegabytes: 8192});
  assert.deepEqual(Object.keys(clean).slice(-2), ['limits', 'resources'], 'in the schema order');
});

test('an optional plugin without an id and empty optional members are left out; required ones stay', () => {
  const clean = cleanSpec({name: ' ', seed: '', dataset: {id: '', params: {}}, model: {source: 'stored', modelId: null, training: {}},
    attack: {id: '', params: {poisonRatio: 0.1}}, defenses: [{id: 'bcu', params: {}, data: {fraction: 0.1, dataset: {id: ''}}}],
    metrics: [], limits: {}}, schema);
  assert.deepEqual(clean, {dataset: {}, model: {source: 'stored'}, defenses: [{id: 'bcu', data: {fraction: 0.1}}], metrics: []});
});

test('parameter values are sent exactly as typed', () => {
  const clean = cleanSpec({dataset: {id: 'd', params: {label: '  spaced  ', none: null}}, model: {source: 'stored', modelId: 'm'}}, schema);
  assert.deepEqual(clean.dataset.params, {label: '  spaced  ', none: null});
});

test('the JSON text writes a 64-bit seed as a number with all its digits', () => {
  const spec = {seed: '9223372036854775807', dataset: {id: 'd', params: {note: '9223372036854775807'}}, model: {source: 'stored', modelId: 'm'}};
  const text = pipelineText(spec, schema, 0);
  assert.equal(text, '{"seed":9223372036854775807,"dataset":{"id":"d","params":{"note":"9223372036854775807"}},'
    + '"model":{"source":"stored","modelId":"m"}}');
  assert.match(pipelineText({seed: 7, dataset: {id: 'd'}, model: {source: 'stored'}}, schema), /\n {2}"seed": 7,/);
});

test('a new pipeline starts from what the server has', () => {
  const byKind = {dataset: [{id: 'fashion-mnist'}]};
  assert.deepEqual(blankSpec(byKind, [{id: 'm-1'}], {available: true}).model, {source: 'stored', modelId: 'm-1'});
  assert.deepEqual(blankSpec(byKind, [], {available: true}).model, {source: 'train', modelId: null});
  assert.deepEqual(blankSpec({}, [], {available: false}).dataset, {id: '', params: {}});
});

test('a problem is shown at its field or at the closest enclosing one', () => {
  const fields = ['defenses[0]', 'defenses[0].params.factor', 'model', 'seed'];
  assert.equal(closestPath(fields, 'defenses[0].params.factor'), 'defenses[0].params.factor');
  assert.equal(closestPath(fields, 'defenses[0].data.fraction'), 'defenses[0]');
  assert.equal(closestPath(fields, 'model.modelId'), 'model');
  assert.equal(closestPath(fields, 'typo'), null);
  assert.equal(closestPath(fields, ''), null);
  assert.equal(parentPath('a.b[2]'), 'a.b');
  assert.equal(parentPath('a'), '');
});

test("a defense's outputFormats are sent only when some are chosen", () => {
  const spec = normalize({dataset: {id: 'blobs'}, defenses: [{id: 'npd'}, {id: 'bcu', outputFormats: ['native', 'onnx']}]}, schema);
  const clean = cleanSpec(spec, schema);
  assert.deepEqual(clean.defenses, [{id: 'npd'}, {id: 'bcu', outputFormats: ['native', 'onnx']}]);
});
