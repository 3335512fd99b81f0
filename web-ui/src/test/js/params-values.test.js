import {test} from 'node:test';
import assert from 'node:assert/strict';
import {checkValue, defaults, describeSpec, fieldModel, parseValue, unknownNames, valueText}
  from '../../main/resources/public/js/params/values.js';

const integer = {name: 'epochs', type: 'INTEGER', defaultValue: 10, min: 1, max: 1000, unit: 'epochs', help: 'Passes.'};
const real = {name: 'ratio', type: 'REAL', defaultValue: 0.1, min: 0, max: 1};
const choice = {name: 'variant', type: 'CHOICE', defaultValue: 'reference', choices: ['reference', 'corrected']};
const list = {name: 'weights', type: 'REAL_LIST', defaultValue: [0.5, 0.25], min: 0, max: 1};

test('defaults are copies, so editing a form never changes the descriptor', () => {
  const values = defaults([integer, list]);
  assert.deepEqual(values, {epochs: 10, weights: [0.5, 0.25]});
  values.weights.push(1);
  assert.deepEqual(list.defaultValue, [0.5, 0.25]);
});

test('typed input is parsed and checked against the bounds', () => {
  assert.deepEqual(parseValue(integer, ' 12 '), {value: 12, error: null});
  assert.deepEqual(parseValue(integer, '0'), {value: 0, error: 'must be at least 1'});
  assert.deepEqual(parseValue(integer, '2.5'), {value: '2.5', error: 'must be a whole number'});
  assert.deepEqual(parseValue(integer, ''), {value: '', error: 'a whole number is required'});
  assert.deepEqual(parseValue(real, '1.5'), {value: 1.5, error: 'must be at most 1'});
  assert.deepEqual(parseValue(real, 'abc'), {value: 'abc', error: 'must be a number'});
  assert.deepEqual(parseValue({...real, min: null, exclusiveMin: 0}, '0'), {value: 0, error: 'must be more than 0'});
  assert.deepEqual(parseValue(list, '0.1, 0.2;0.3'), {value: [0.1, 0.2, 0.3], error: null});
  assert.deepEqual(parseValue(list, '0.1, x'), {value: '0.1, x', error: '\'x\' is not a number'});
  assert.equal(parseValue(list, '0.1 2').error, 'every value must be at most 1');
  assert.equal(parseValue(choice, 'other').error, 'must be one of reference, corrected');
  assert.deepEqual(parseValue({type: 'BOOLEAN'}, ''), {value: false, error: null});
});

test('whole numbers beyond 2^53 keep every digit and are compared exactly', () => {
  const seed = {name: 'seed', type: 'INTEGER', min: 0, max: '9223372036854775807'};
  assert.deepEqual(parseValue(seed, '9223372036854775807'), {value: '9223372036854775807', error: null});
  assert.deepEqual(parseValue(seed, '9223372036854775808'),
    {value: '9223372036854775808', error: 'must be at most 9223372036854775807'});
  assert.deepEqual(parseValue(seed, '+42'), {value: 42, error: null});
});

test('stored values are checked as they are', () => {
  assert.equal(checkValue(integer, 5000), 'must be at most 1000');
  assert.equal(checkValue({type: 'BOOLEAN'}, 'yes'), 'must be true or false');
  assert.equal(checkValue(list, [0.5, 2]), 'every value must be at most 1');
  assert.equal(checkValue(integer, undefined), null);
});

test('a descriptor reads as one line', () => {
  assert.equal(describeSpec(integer), 'whole number · 1 – 1000 · default 10 epochs');
  assert.equal(describeSpec({type: 'STRING', defaultValue: ''}), 'text · default (empty)');
  assert.equal(describeSpec({type: 'REAL', min: 0, defaultValue: 0.5}), 'number · ≥ 0 · default 0.5');
  assert.equal(valueText(list, [0.5, 0.25]), '0.5, 0.25');
});

test('field models say which input to show, with its options, text and problem', () => {
  const text = fieldModel(integer, 12);
  assert.equal(text.kind, 'text');
  assert.equal(text.value, '12');
  assert.equal(text.inputmode, 'numeric');
  assert.equal(text.label, 'Epochs');
  assert.equal(text.unit, 'epochs');
  assert.equal(text.error, null);
  assert.equal(fieldModel(real, 3).error, 'must be at most 1');
  assert.equal(fieldModel(real, 0.5).inputmode, 'decimal');
  assert.equal(fieldModel(list, [1]).inputmode, null);
  const select = fieldModel(choice, 'legacy');
  assert.equal(select.kind, 'select');
  assert.deepEqual(select.options.map((o) => o.label), ['reference', 'corrected', 'legacy (not allowed)']);
  assert.equal(select.error, 'must be one of reference, corrected');
  assert.deepEqual(fieldModel({name: 'augment', type: 'BOOLEAN', defaultValue: true}, true).kind, 'checkbox');
  assert.deepEqual(unknownNames([integer, real], {epochs: 1, typo: 2, ratio: 0}), ['typo']);
});
