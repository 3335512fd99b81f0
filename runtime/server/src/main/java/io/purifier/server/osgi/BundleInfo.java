package io.purifier.server.osgi;

import java.util.List;

/**
 * A bundle as the API lists it.
 *
 * @param id           framework bundle id
 * @param symbolicName symbolic name
 * @param version      version
 * @param state        INSTALLED, RESOLVED, STARTING, ACTIVE, STOPPING or UNINSTALLED
 * @param builtIn      whether it came from the built-in bundles directory (cannot be removed over HTTP)
 * @param fileName     its jar's file name, when it is a file
 * @param sha256       its jar's SHA-256, when it is a file
 * @param plugins      the plugins it registers, as {@code kind:id}
 */
public record BundleInfo(long id, String symbolicName, String version, String state, boolean builtIn,
                         String fileName, String sha256, List<String> plugins) {
}
