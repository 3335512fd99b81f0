import {test} from 'node:test';
import assert from 'node:assert/strict';
import {byStep, directionArrow, headlineNames, isHeadline, stepLabel} from '../../main/resources/public/js/metrics.js';

const m = (name, stepIndex, value, unit = 'fraction') => ({name, stepIndex, value, unit});

test('headline metrics are plain fractions in the usual order, then by name', () => {
  const metrics = [m('ZED', 0, 1), m('ASR', 0, 1), m('C-ACC', 0, 1), m('ASR[3]', 0, 1), m('loss', 0, 1, ''), m('ALPHA', 1, 1),
    m('DER', 1, 1)];
  assert.ok(!isHeadline(m('ASR[3]', 0, 1)));
  assert.deepEqual(headlineNames(metrics), ['C-ACC', 'ASR', 'DER', 'ALPHA', 'ZED']);
});

test('the retuning attack\'s P-ASR and P-C-ACC stand right after ASR', () => {
  const metrics = [m('DER', 1, 1), m('P-C-ACC', 1, 1), m('RA', 1, 1), m('P-ASR', 1, 1), m('ASR', 1, 1), m('C-ACC', 1, 1)];
  assert.deepEqual(headlineNames(metrics), ['C-ACC', 'ASR', 'P-ASR', 'P-C-ACC', 'RA', 'DER']);
});

test('steps are labelled by what they mean for the metrics', () => {
  assert.equal(stepLabel({kind: 'model'}), 'before defenses');
  assert.equal(stepLabel({kind: 'defense', componentId: 'npd'}), 'after npd');
  assert.equal(stepLabel({kind: 'dataset', title: 'load fashion-mnist'}), 'load fashion-mnist');
  assert.equal(stepLabel(null), 'step');
  assert.equal(directionArrow('LOWER_IS_BETTER'), '↓ lower is better');
});

test('metric rows group by step and name', () => {
  const grouped = byStep([m('ASR', 2, 0.9), m('C-ACC', 2, 0.8), m('ASR', 3, 0.1)]);
  assert.deepEqual([...grouped.keys()], [2, 3]);
  assert.equal(grouped.get(2).get('C-ACC').value, 0.8);
  assert.equal(grouped.get(3).get('ASR').value, 0.1);
});
