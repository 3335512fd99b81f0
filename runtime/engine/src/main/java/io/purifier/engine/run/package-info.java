/**
 * Run helpers for plugins: probe curves reported through the run context and a local run context for stages.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.run;
