/**
 * The engine's model: {@link io.purifier.engine.model.EngineModel} (a layer network, its arrays and metadata; {@code copy()} before changing anything), graph surgery with {@link io.purifier.engine.model.GraphBuilder}, batch-norm modes and the native model file.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.model;
