/**
 * Post-purification robustness: attacks on a purified model that measure whether its backdoor was removed or only
 * hidden (the retuning attack and its P-ASR).
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline.</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.engine.robustness;
