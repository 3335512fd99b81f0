/**
 * The host's image-data toolkit, shared by the server and the dataset bundles: readers for IDX (MNIST format),
 * CIFAR-10 binary batches and class-folder image directories; content hashes; class-balanced subsets and
 * held-out splits; resizing and channel conversion; per-channel normalizations; and the configured data roots
 * that user-named paths resolve through. Every reader checks what it reads and reports user mistakes as
 * {@link io.purifier.api.InvalidInputException} naming the file and the problem.
 *
 * <p>Part of the plugin surface: exported to bundles with a semantic version, checked by bnd's baseline.</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.data;
