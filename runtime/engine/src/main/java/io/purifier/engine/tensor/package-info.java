/**
 * Engine internals: native kernels, pooled buffers and parallel loops behind the layers. Not exported: bundles
 * cannot import it, and it changes without notice. Plugins use {@code model}, {@code train}, {@code blocks} and
 * {@code autograd} instead.
 */
package io.purifier.engine.tensor;
