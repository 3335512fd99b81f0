/**
 * Defense building blocks: freezing, re-initialisation, layer insertion at a layer's input or output, channel masks, PGD, distillation, neuron scaling, sharpness-aware steps, early stopping.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.blocks;
