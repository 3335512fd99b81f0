// The model formats a defense step saves its purified model in (the step's outputFormats), as checkboxes edit them.

/** The default when a step lists none. */
export const DEFAULT_OUTPUTS = ['native'];

/** The formats a step saves in: its list, or the default. */
export function chosenOutputs(step) {
  return step.outputFormats && step.outputFormats.length ? step.outputFormats : DEFAULT_OUTPUTS;
}

/**
 * The step's outputFormats after ticking ({@code on}) or clearing format {@code id}: in the order of
 * {@code saving} (the installed formats that can save), and undefined when the result is empty or the default (so
 * the pipeline JSON leaves the member out and the server saves in the native format).
 */
export function toggleOutput(step, saving, id, on) {
  const chosen = chosenOutputs(step);
  const next = saving.filter((f) => (f === id ? on : chosen.includes(f)));
  if (!next.length) return undefined;
  return next.length === DEFAULT_OUTPUTS.length && next.every((f, i) => f === DEFAULT_OUTPUTS[i]) ? undefined : next;
}
