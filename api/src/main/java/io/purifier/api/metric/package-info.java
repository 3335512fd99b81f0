/** Metrics: numbers computed from a model's predictions on the clean and the poisoned test sets. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.metric;
