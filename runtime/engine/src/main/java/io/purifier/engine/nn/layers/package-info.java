/**
 * The layer types of the engine's networks (convolution, batch norm, dense, pooling, channel scales, ...), each with a forward and backward pass.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.nn.layers;
