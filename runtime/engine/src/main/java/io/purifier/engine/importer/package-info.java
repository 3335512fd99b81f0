/**
 * Keras HDF5 import into engine models (used by the keras-h5 model format bundle) and the upload parameters every
 * import format shares ({@code ImportParameters}, since 1.1.0).
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.purifier.engine.importer;
