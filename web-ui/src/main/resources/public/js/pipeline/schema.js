// Reading the pipeline format's JSON Schema (GET /api/pipelines/schema, generated on the server from the Java
// records that define the format) without the DOM: the schema of a member by its JSON path, and number members
// as the ParamSpec-like descriptions the form fields check.

const TOKENS = /[^.[\]]+|\[\d+]/g;

/** `node` with a local $ref ('#/$defs/Name') resolved; the node's own keywords (its description) win. */
export function deref(schema, node) {
  if (!node || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/$defs/')) return node;
  const target = (schema.$defs || {})[node.$ref.slice('#/$defs/'.length)];
  if (!target) throw new Error(`the pipeline schema has no definition for ${node.$ref}`);
  const {$ref, ...own} = node;
  return {...deref(schema, target), ...own};
}

/** The schema of the member at `path` (e.g. 'limits.stepTimeoutSeconds', 'defenses[0].data.fraction'), or null. */
export function schemaAt(schema, path) {
  let node = schema;
  for (const token of String(path).match(TOKENS) || []) {
    node = deref(schema, node);
    node = token.startsWith('[') ? node.items : (node.properties || {})[token];
    if (!node) return null;
  }
  return deref(schema, node);
}

/** The names of a record object's members, in the schema's order. */
export function memberNames(node) {
  return Object.keys((node && node.properties) || {});
}

/** Whether a schema node is a record object (members listed) rather than a free map such as `params`. */
export function isRecord(node) {
  return Boolean(node && node.type === 'object' && node.properties);
}

function scaled(bound, scale) {
  if (bound === undefined || bound === null) return null;
  return typeof bound === 'number' ? bound * scale : bound; // 64-bit bounds may arrive as exact digit strings
}

/**
 * A number member as the form fields check it: {name, type: 'INTEGER' | 'REAL', min, max, exclusiveMin,
 * defaultValue, help}. `scale` converts the bounds for a field that shows another unit (100 for a fraction in %).
 * @throws Error when the schema has no number member at `path`
 */
export function numberSpec(schema, path, scale = 1) {
  const node = schemaAt(schema, path);
  if (!node || (node.type !== 'integer' && node.type !== 'number')) {
    throw new Error(`the pipeline schema has no number member ${path}`);
  }
  const tokens = String(path).match(TOKENS);
  return {
    name: tokens[tokens.length - 1], type: node.type === 'integer' ? 'INTEGER' : 'REAL',
    min: scaled(node.minimum, scale), max: scaled(node.maximum, scale),
    exclusiveMin: scaled(node.exclusiveMinimum, scale),
    defaultValue: node.default === undefined ? null : node.default, help: node.description || '',
  };
}
