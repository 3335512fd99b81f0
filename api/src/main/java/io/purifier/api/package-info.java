/**
 * The Purifier plugin SPI: the five plugin kinds ({@link io.purifier.api.PluginKind}) and what they share.
 *
 * <p>Every plugin is an OSGi service implementing one of the kind interfaces and {@link io.purifier.api.Plugin}.
 * The host finds plugins through the service registry, never by class name.</p>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.purifier.api;
