/**
 * Objectives on a pass's outputs: a small reverse-mode {@link io.purifier.engine.autograd.Tape} over {@link io.purifier.engine.autograd.Var}s (cross-entropy, soft targets, KL distillation, attention maps).
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.purifier.engine.autograd;
