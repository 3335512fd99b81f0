import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createLive, mergeLive, noteRun, noteStep, rank} from '../../main/resources/public/js/run/live.js';
import {artifactRows, caption, curveGroups, delta, metricsModel, pictures, provenanceFacts}
  from '../../main/resources/public/js/run/tables.js';

test('statuses only move forward, whatever order the events and the detail arrive in', () => {
  assert.deepEqual(['QUEUED', 'PENDING', 'RUNNING', 'FAILED', undefined].map(rank), [0, 0, 1, 2, 0]);
  const live = createLive();
  noteRun(live, {status: 'RUNNING', progress: 0.4});
  noteRun(live, {status: 'QUEUED', progress: 0.2});
  assert.deepEqual(live.run, {status: 'RUNNING', progress: 0.4});
  assert.deepEqual(noteStep(live, {step: 1, status: 'RUNNING', progress: 0.5}), {status: 'RUNNING', progress: 0.5});
  noteStep(live, {step: 1, progress: 0.3});
  const stale = {run: {status: 'QUEUED', progress: 0.1},
    steps: [{index: 0, status: 'SUCCEEDED', progress: 1}, {index: 1, status: 'PENDING', progress: 0}]};
  const merged = mergeLive(live, stale);
  assert.deepEqual(merged.run, {status: 'RUNNING', progress: 0.4});
  assert.deepEqual(merged.steps[1], {index: 1, status: 'RUNNING', progress: 0.5});
  assert.deepEqual(merged.steps[0], {index: 0, status: 'SUCCEEDED', progress: 1});
  const done = mergeLive(live, {run: {status: 'SUCCEEDED', progress: 1}, steps: []});
  assert.equal(done.run.status, 'SUCCEEDED');
});

const metric = (stepIndex, name, value, direction, unit = 'fraction') => ({stepIndex, name, value, unit, direction, metricId: name.toLowerCase()});

test('the metrics table shows every evaluated step with its change against the model step', () => {
  const detail = {run: {status: 'SUCCEEDED'},
    steps: [{index: 0, kind: 'dataset'}, {index: 1, kind: 'model'}, {index: 2, kind: 'defense', componentId: 'npd'}],
    metrics: [metric(1, 'ASR', 0.98, 'LOWER_IS_BETTER'), metric(1, 'C-ACC', 0.9, 'HIGHER_IS_BETTER'),
      metric(2, 'ASR', 0.05, 'LOWER_IS_BETTER'), metric(2, 'C-ACC', 0.85, 'HIGHER_IS_BETTER'), metric(2, 'loss', 0.3, null, 'nats')]};
  const model = metricsModel(detail);
  assert.deepEqual(model.names, ['C-ACC', 'ASR']);
  assert.deepEqual(model.steps.map((s) => s.index), [1, 2]);
  assert.deepEqual(model.rows[1], {name: 'ASR', direction: '↓ lower is better',
    cells: [{text: '98.00%', delta: null}, {text: '5.00%', delta: {text: '−93.00 pts', tone: 'good'}}]});
  assert.deepEqual(model.rows[0].cells[1].delta, {text: '−5.00 pts', tone: 'bad'});
  assert.deepEqual(model.groups[1], {label: 'after npd', sublabel: 'step 3', values: [85, 5]});
  assert.deepEqual(model.others.map((m) => m.name), ['loss']);
  assert.equal(metricsModel({...detail, metrics: []}), null);
  assert.deepEqual(delta({value: 0.5, direction: null}, {value: 0.4}), {text: '+10.00 pts', tone: ''});
});

test('curves are grouped per step and series prefix; empty series are left out', () => {
  const groups = curveGroups([
    {stepIndex: 2, series: 'loss/train', points: [[1, 0.5]]}, {stepIndex: 2, series: 'loss/test', points: []},
    {stepIndex: 2, series: 'asr', points: [[1, 0.9]]}], [{index: 2, componentId: 'npd'}]);
  assert.deepEqual(groups.map((g) => g.title), ['Step 3 · npd — loss', 'Step 3 · npd — asr']);
  assert.deepEqual(groups[0].series, [{name: 'train', points: [[1, 0.5]]}]);
});

test('pictures put triggers first; artifacts say which is a purified model', () => {
  const artifacts = [{name: 'confusion.png', stepIndex: 1}, {name: 'trigger-0-poisoned-sample.png', stepIndex: 1},
    {name: 'model.zip', stepIndex: 3, size: 2048, sha256: 'abcdef0123456789'}, {name: 'report.json', stepIndex: 3, size: 10}];
  assert.deepEqual(pictures(artifacts).map((a) => a.name), ['trigger-0-poisoned-sample.png', 'confusion.png']);
  assert.equal(caption('trigger-0-poisoned-sample.png'), 'poisoned sample');
  const rows = artifactRows({steps: [{index: 3, kind: 'defense'}], artifacts});
  assert.deepEqual(rows.map((r) => r.purifiedModel), [false, false, true, false]);
  assert.equal(rows[2].facts, ' step 4 · 2.0 KB · sha256 abcdef012345…');
});

test('provenance facts leave out what was not recorded', () => {
  assert.deepEqual(provenanceFacts({seed: 42, platform: {java: '17', javaVendor: 'Debian', cpus: 2}}),
    [['Seed', 42], ['Java', '17 (Debian)'], ['CPUs', 2]]);
});
