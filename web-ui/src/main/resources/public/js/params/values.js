// Parameter values from ParamSpec descriptors, without the DOM: defaults, parsing and checking of typed input,
// one-line descriptions and the model of each form field (what input, which options, which label).
import {humanize, plainNumber} from '../format.js';

/** The default values of a descriptor, as an object. */
export function defaults(specs) {
  const out = {};
  for (const spec of specs || []) out[spec.name] = clone(spec.defaultValue);
  return out;
}

/** A copy of a default value (lists are copied so that editing a form never changes the descriptor). */
export function clone(value) {
  return Array.isArray(value) ? [...value] : value;
}

/** Text of a value in a text field. */
export function valueText(spec, value) {
  if (value === undefined || value === null) return '';
  if (spec.type === 'REAL_LIST') return Array.isArray(value) ? value.map(plainNumber).join(', ') : String(value);
  if (typeof value === 'number') return plainNumber(value);
  return String(value);
}

const present = (bound) => bound !== null && bound !== undefined;

function boundsProblem(spec, n) {
  if (present(spec.min) && n < spec.min) return `must be at least ${plainNumber(spec.min)}`;
  if (present(spec.exclusiveMin) && n <= spec.exclusiveMin) return `must be more than ${plainNumber(spec.exclusiveMin)}`;
  if (present(spec.max) && n > spec.max) return `must be at most ${plainNumber(spec.max)}`;
  return null;
}

/** Bounds of a whole number beyond 2^53, compared exactly (bounds may be numbers or digit strings). */
function bigBoundsProblem(spec, big) {
  if (present(spec.min) && big < BigInt(spec.min)) return `must be at least ${spec.min}`;
  if (present(spec.max) && big > BigInt(spec.max)) return `must be at most ${spec.max}`;
  return null;
}

function parseInteger(spec, raw) {
  const text = String(raw).trim();
  if (text === '') return {value: raw, error: 'a whole number is required'};
  if (!/^[-+]?\d+$/.test(text)) return {value: raw, error: 'must be a whole number'};
  const n = Number(text);
  if (Number.isSafeInteger(n)) return {value: n, error: boundsProblem(spec, n)};
  // JavaScript numbers lose digits beyond 2^53 (64-bit seeds): keep the exact digits as text.
  const big = BigInt(text);
  return {value: big.toString(), error: bigBoundsProblem(spec, big)};
}

function parseRealList(spec, raw) {
  const parts = String(raw).split(/[\s,;]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isFinite(values[i]));
  if (bad !== undefined) return {value: raw, error: `'${bad}' is not a number`};
  for (const v of values) {
    const problem = boundsProblem(spec, v);
    if (problem) return {value: values, error: `every value ${problem}`};
  }
  return {value: values, error: null};
}

/**
 * Reads a field's raw input as the parameter's type. Returns {value, error}: value is what goes into the
 * pipeline JSON (the typed value when it parses, otherwise the raw text so that the server sees it too).
 * Bounds: min, max (inclusive) and exclusiveMin.
 */
export function parseValue(spec, raw) {
  switch (spec.type) {
    case 'BOOLEAN':
      return {value: Boolean(raw), error: null};
    case 'STRING':
      return {value: String(raw), error: null};
    case 'CHOICE':
      return {value: raw, error: spec.choices.includes(raw) ? null : `must be one of ${spec.choices.join(', ')}`};
    case 'INTEGER':
      return parseInteger(spec, raw);
    case 'REAL': {
      const text = String(raw).trim();
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return {value: raw, error: 'must be a number'};
      return {value: n, error: boundsProblem(spec, n)};
    }
    case 'REAL_LIST':
      return parseRealList(spec, raw);
    default:
      return {value: raw, error: null};
  }
}

/** Checks an already-typed value (as stored in the pipeline JSON); returns the problem or null. */
export function checkValue(spec, value) {
  if (value === undefined) return null;
  if (spec.type === 'BOOLEAN') return typeof value === 'boolean' ? null : 'must be true or false';
  if (spec.type === 'REAL_LIST' && Array.isArray(value)) return parseValue(spec, value.join(',')).error;
  return parseValue(spec, spec.type === 'STRING' ? String(value) : value).error;
}

const TYPE_WORDS = {INTEGER: 'whole number', REAL: 'number', BOOLEAN: 'yes/no', STRING: 'text', CHOICE: 'choice',
  REAL_LIST: 'list of numbers'};

/** One line describing type, range or choices, and default. */
export function describeSpec(spec) {
  const parts = [TYPE_WORDS[spec.type] || spec.type];
  const hasMin = present(spec.min);
  const hasMax = present(spec.max);
  if (hasMin && hasMax) parts.push(`${plainNumber(spec.min)} – ${plainNumber(spec.max)}`);
  else if (hasMin) parts.push(`≥ ${plainNumber(spec.min)}`);
  else if (hasMax) parts.push(`≤ ${plainNumber(spec.max)}`);
  const def = valueText(spec, spec.defaultValue);
  parts.push(`default ${def === '' ? '(empty)' : def}${spec.unit ? ` ${spec.unit}` : ''}`);
  return parts.join(' · ');
}

/**
 * What the form shows for one parameter: kind ('checkbox', 'select' or 'text'), label, unit, help text, the
 * select's options (a current value outside the choices stays selectable, marked "not allowed"), the text
 * field's content and input mode, and the problem of the current value.
 */
export function fieldModel(spec, value) {
  const model = {
    name: spec.name, label: humanize(spec.name), unit: spec.unit || '', help: spec.help || '',
    description: describeSpec(spec), error: checkValue(spec, value),
  };
  if (spec.type === 'BOOLEAN') return {...model, kind: 'checkbox', checked: Boolean(value)};
  if (spec.type === 'CHOICE') {
    const current = String(value);
    const options = spec.choices.map((c) => ({value: c, label: c}));
    if (!spec.choices.includes(current)) options.push({value: current, label: `${current} (not allowed)`});
    return {...model, kind: 'select', value: current, options};
  }
  const inputmode = {INTEGER: 'numeric', REAL: 'decimal'}[spec.type] || null;
  return {...model, kind: 'text', value: valueText(spec, value), inputmode};
}

/** Names in `values` that the descriptor `specs` does not know (the server refuses them). */
export function unknownNames(specs, values) {
  const known = new Set((specs || []).map((p) => p.name));
  return Object.keys(values || {}).filter((name) => !known.has(name));
}
