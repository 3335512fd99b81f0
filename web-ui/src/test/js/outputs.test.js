import {test} from 'node:test';
import assert from 'node:assert/strict';
import {chosenOutputs, toggleOutput} from '../../main/resources/public/js/pipeline/outputs.js';

const saving = ['native', 'onnx'];

test('a step without outputFormats saves in the native format', () => {
  assert.deepEqual(chosenOutputs({id: 'npd'}), ['native']);
  assert.deepEqual(chosenOutputs({id: 'npd', outputFormats: []}), ['native']);
});

test('ticking ONNX lists both formats in the installed order; clearing it again leaves the member out', () => {
  const step = {id: 'npd'};
  step.outputFormats = toggleOutput(step, saving, 'onnx', true);
  assert.deepEqual(step.outputFormats, ['native', 'onnx']);
  step.outputFormats = toggleOutput(step, saving, 'native', false);
  assert.deepEqual(step.outputFormats, ['onnx']);
  step.outputFormats = toggleOutput(step, saving, 'native', true);
  step.outputFormats = toggleOutput(step, saving, 'onnx', false);
  assert.equal(step.outputFormats, undefined);
});

test('clearing the last format returns to the default', () => {
  assert.equal(toggleOutput({id: 'npd'}, saving, 'native', false), undefined);
  assert.equal(toggleOutput({id: 'npd', outputFormats: ['onnx']}, saving, 'onnx', false), undefined);
});

test('without the native format installed, ticking a format lists just that one', () => {
  assert.deepEqual(toggleOutput({id: 'npd'}, ['sample-linear', 'onnx'], 'onnx', true), ['onnx']);
});
