/**
 * The host's image-data toolkit, shared by the server and the dataset bundles: readers for IDX (MNIST format),
 * CIFAR-10 binary batches and class-folder image directories; content hashes; class-balanced subsets and
 * held-out splits; resizing and channel conversion; per-channel normalizations; and the configured data roots
 * that user-named paths resolve through. Every reader checks what it reads and reports user mistakes as
 * {@link io.purifier.api.InvalidInputException} naming the file and the problem.
 */
package io.purifier.data;
