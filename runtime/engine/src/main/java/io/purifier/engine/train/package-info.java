/**
 * Training: {@link io.purifier.engine.train.Trainer} (epochs with seeded shuffling and augmentation, progress and cancellation between batches), single steps ({@link io.purifier.engine.train.TrainStep}), gradient passes ({@link io.purifier.engine.train.LossPass}) and {@link io.purifier.engine.train.Objective}s.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline on every
 * build (see docs/plugins.md, "Versioning").</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.purifier.engine.train;
