import {test} from 'node:test';
import assert from 'node:assert/strict';
import {bytes, duration, humanize, isFinal, metricText, plainError, plainNumber, percent, roundSig, shortHash,
  statusWord} from '../../main/resources/public/js/format.js';

test('metric values: fractions as percent, counts as whole numbers, others with four significant digits', () => {
  assert.equal(metricText(0.98765, 'fraction'), '98.77%');
  assert.equal(metricText(12.6, 'count'), '13');
  assert.equal(metricText(0.000123, 'nats'), '1.23e-4 nats');
  assert.equal(metricText(1234.5678, ''), '1235');
  assert.equal(metricText(Number.NaN, 'fraction'), '–');
  assert.equal(metricText(null, 'fraction'), '–');
});

test('numbers keep bounds exact and round only what needs it', () => {
  assert.equal(plainNumber(2147483647), '2147483647');
  assert.equal(plainNumber(0.1), '0.1');
  assert.equal(plainNumber(1 / 3), '0.333333');
  assert.equal(plainNumber(null), '');
  assert.equal(roundSig(2e7), '2.00e+7');
  assert.equal(roundSig(0), '0');
  assert.equal(percent(1.7), '100%');
  assert.equal(percent(undefined), '0%');
});

test('durations, sizes and hashes read like a person would write them', () => {
  assert.equal(duration('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.250Z'), '250 ms');
  assert.equal(duration('2026-01-01T00:00:00Z', '2026-01-01T00:00:42.5Z'), '42.5 s');
  assert.equal(duration('2026-01-01T00:00:00Z', '2026-01-01T00:03:30Z'), '3 min 30 s');
  assert.equal(duration('2026-01-01T00:00:00Z', '2026-01-01T02:05:00Z'), '2 h 5 min');
  assert.equal(duration(null, null), '–');
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KB');
  assert.equal(bytes(3 * 1024 * 1024), '3.0 MB');
  assert.equal(shortHash('0123456789abcdef'), '0123456789ab…');
  assert.equal(shortHash(null), '–');
});

test('names, statuses and server errors', () => {
  assert.equal(humanize('poisonRatio'), 'Poison ratio');
  assert.equal(humanize('held-out_size'), 'Held out size');
  assert.equal(statusWord('SUCCEEDED'), 'succeeded');
  assert.equal(statusWord(undefined), 'unknown');
  assert.equal(plainError('java.lang.IllegalArgumentException: epochs must be at least 1 (at Foo.java:12)'),
    'epochs must be at least 1');
  assert.ok(isFinal('INTERRUPTED'));
  assert.ok(!isFinal('RUNNING'));
});
