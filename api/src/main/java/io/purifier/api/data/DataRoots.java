package io.purifier.api.data;

import io.purifier.api.InvalidInputException;

import java.nio.file.Path;

/**
 * The directories users may point dataset providers at. Providers resolve every user-supplied path through
 * this, so a pipeline cannot read arbitrary files of the server.
 */
@org.osgi.annotation.versioning.ProviderType
public interface DataRoots {

    /**
     * Resolves a user-supplied path (absolute, or relative to the first root) and checks that it lies inside a
     * configured root and exists.
     *
     * @throws InvalidInputException naming the path and the allowed roots when it is outside or missing
     */
    Path resolve(String userPath);
}
