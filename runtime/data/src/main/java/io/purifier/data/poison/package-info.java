/**
 * Building blocks shared by the data-poisoning attack bundles: choosing the samples to poison
 * ({@link io.purifier.data.poison.PoisonIndices}), how the backdoor maps labels
 * ({@link io.purifier.data.poison.LabelMode}), checks of the parameters every attack has
 * ({@link io.purifier.data.poison.AttackChecks}), applying a per-image trigger to a training set
 * ({@link io.purifier.data.poison.PoisonedTrainingSet}) and building the triggered test set
 * ({@link io.purifier.data.poison.TriggeredTestSet}), user-supplied trigger pictures
 * ({@link io.purifier.data.poison.TriggerPicture}), single-image pixel access
 * ({@link io.purifier.data.poison.ImagePixels}), UI previews ({@link io.purifier.data.poison.Previews}), and the
 * common flow of attacks that poison a fixed sample of the training set once
 * ({@link io.purifier.data.poison.PoisoningFlow} driven by a {@link io.purifier.data.poison.PoisonRecipe}).
 *
 * <p>A trigger is a {@code UnaryOperator<float[]>} that maps one image's {@code C*H*W} pixels (channel, row,
 * column order) to new pixels of the same size. Every method leaves its inputs unchanged and returns new sets.</p>
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline.</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.data.poison;
