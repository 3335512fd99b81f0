/** What a running pipeline step offers a plugin: progress, cancellation, seeded randomness, artifacts, logs, curves. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.run;
