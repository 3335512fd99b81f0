/**
 * Evaluation: accuracy and predictions of a model on an image set, in batches.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.eval;
