/** Image data as plugins see it: labeled and unlabeled image sets, dataset splits, and dataset providers. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.data;
