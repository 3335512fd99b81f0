// JSON paths of pipeline members ('defenses[0].params.epochs'), without the DOM.

/** The enclosing member of `path` ('a.b[2].c' → 'a.b[2]' → 'a.b' → 'a'), or '' at the top. */
export function parentPath(path) {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : '';
}

/** The nearest of `available` to `path`: the path itself or its closest enclosing member; null when none is. */
export function closestPath(available, path) {
  const known = new Set(available);
  for (let p = String(path || ''); p; p = parentPath(p)) {
    if (known.has(p)) return p;
  }
  return null;
}
