// The pipeline JSON in the builder, driven by the format's JSON Schema (no DOM): the shape the forms edit
// (normalize), the JSON the server takes (cleanSpec, pipelineText) and a new pipeline's starting values.
import {deref, isRecord, memberNames} from './schema.js';

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const requiredOf = (node) => new Set(node.required || []);

/**
 * Completes `value` (edited in place) to the shape of its record schema `node`: schema defaults, empty lists,
 * empty parameter maps, and the record members that are required or need nothing themselves (limits, data).
 */
function fillShape(schema, node, value) {
  const required = requiredOf(node);
  for (const name of memberNames(node)) {
    const member = deref(schema, node.properties[name]);
    if (value[name] === undefined || value[name] === null) {
      if (member.default !== undefined) value[name] = copy(member.default);
      else if (member.type === 'array') value[name] = [];
      else if (member.type === 'object' && !member.properties) value[name] = {};
      else if (isRecord(member) && (required.has(name) || !(member.required || []).length)) value[name] = {};
    }
    if (isRecord(member) && isObject(value[name])) fillShape(schema, member, value[name]);
    const items = member.type === 'array' ? deref(schema, member.items) : null;
    if (isRecord(items) && Array.isArray(value[name])) {
      value[name].forEach((item) => isObject(item) && fillShape(schema, items, item));
    }
  }
  return value;
}

/** A copy of `raw` in the shape the builder's forms edit. */
export function normalize(raw, schema) {
  const spec = isObject(raw) ? copy(raw) : {};
  // Metric lists of old saved pipelines hold plain ids.
  if (Array.isArray(spec.metrics)) spec.metrics = spec.metrics.map((x) => (typeof x === 'string' ? {id: x} : x));
  fillShape(schema, schema, spec);
  // The builder's own choices: a pipeline without a model source starts as a stored model; a trained model
  // always has an architecture to pick.
  if (!spec.model.source) Object.assign(spec.model, {source: 'stored', modelId: spec.model.modelId ?? null});
  if (spec.model.source === 'train' && !isObject(spec.model.architecture)) spec.model.architecture = {id: ''};
  return fillShape(schema, schema, spec);
}

/** `value` cleaned by its schema `node`: undefined when it is empty and may be left out. */
function clean(schema, node, value) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && node && node.type !== undefined) {
    const text = value.trim();
    return text === '' ? undefined : text;
  }
  if (Array.isArray(value)) {
    const items = node ? deref(schema, node.items) : null;
    return value.map((item) => {
      const cleaned = clean(schema, items, item);
      return cleaned === undefined ? null : cleaned;
    });
  }
  if (!isRecord(node) || !isObject(value)) return copy(value);
  const out = {};
  const required = requiredOf(node);
  const names = [...memberNames(node), ...Object.keys(value).filter((k) => !(k in node.properties))];
  for (const name of names) {
    if (!(name in value)) continue;
    if (!(name in node.properties)) {
      out[name] = copy(value[name]); // not in the format: kept, so that the server names it
      continue;
    }
    const member = deref(schema, node.properties[name]);
    const cleaned = clean(schema, member, value[name]);
    if (cleaned === undefined) continue;
    const emptyObject = isObject(cleaned) && Object.keys(cleaned).length === 0;
    const incomplete = isRecord(member) && [...requiredOf(member)].some((m) => cleaned[m] === undefined);
    if (!required.has(name) && (emptyObject || incomplete)) continue;
    out[name] = cleaned;
  }
  return out;
}

/**
 * The pipeline JSON as the server and `./purifier run FILE` take it: members in the schema's order, empty
 * optional members and optional plugins without an id left out, text trimmed; members the format does not know
 * are kept so that the server names them.
 */
export function cleanSpec(spec, schema) {
  return clean(schema, schema, spec) || {};
}

/** Marks whole numbers held as digit strings (beyond 2^53) at integer members, for pipelineText. */
function markBigIntegers(schema, node, value, mark) {
  if (typeof value === 'string' && node && node.type === 'integer' && /^-?\d+$/.test(value)) return `${mark}${value}`;
  if (Array.isArray(value)) {
    const items = node ? deref(schema, node.items) : null;
    return value.map((item) => markBigIntegers(schema, items, item, mark));
  }
  if (!isRecord(node) || !isObject(value)) return value;
  const out = {};
  for (const [name, v] of Object.entries(value)) {
    const member = name in node.properties ? deref(schema, node.properties[name]) : null;
    out[name] = markBigIntegers(schema, member, v, mark);
  }
  return out;
}

/**
 * The cleaned pipeline as JSON text. 64-bit whole numbers that JavaScript holds as digit strings (a seed above
 * 2^53) are written as JSON numbers with all their digits, as the schema asks.
 */
export function pipelineText(spec, schema, indent = 2) {
  const mark = `\u0001${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(markBigIntegers(schema, schema, cleanSpec(spec, schema), mark), null, indent);
  const escaped = JSON.stringify(mark).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return text.replace(new RegExp(`"${escaped}(-?\\d+)"`, 'g'), '$1');
}

/** A new pipeline: the first installed dataset, a stored model when there is one (or no trainer), nothing else. */
export function blankSpec(byKind, models, zoo) {
  const first = (kind) => ((byKind[kind] || [])[0] || {}).id || '';
  return {name: '', seed: 42, dataset: {id: first('dataset'), params: {}},
    model: {source: models.length || !zoo.available ? 'stored' : 'train', modelId: models.length ? models[0].id : null},
    defenses: [], metrics: []};
}
