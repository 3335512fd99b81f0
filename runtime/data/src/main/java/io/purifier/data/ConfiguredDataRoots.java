package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data roots of a server: a fixed list of directories. A user path resolves when its real path (symbolic
 * links followed) lies inside the real path of one of the roots and exists. A path that leaves every root, also
 * through {@code ..} or a symbolic link, or that does not exist, is refused with a message naming the path and
 * the roots.
 *
 * <p>Relative paths are taken relative to the first root. Roots that do not exist (yet) are kept and simply match
 * nothing until they are created.</p>
 */
public final class ConfiguredDataRoots implements DataRoots {

    private final List<Path> roots;

    /** @param roots the allowed directories (absolute or relative to the working directory); may be empty */
    public ConfiguredDataRoots(List<Path> roots) {
        List<Path> normalized = new ArrayList<>();
        for (Path root : roots) {
            normalized.add(root.toAbsolutePath().normalize());
        }
        this.roots = List.copyOf(normalized);
    }

    /** The configured roots, absolute and normalized. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * {@inheritDoc}
     *
     * @return the real path (symbolic links resolved)
     */
    @Override
    public Path resolve(String userPath) {
        if (userPath == null || userPath.isBlank()) {
            throw new InvalidInputException("no path given; expected a path inside one of the data roots " + roots);
        }
        if (roots.isEmpty()) {
            throw new InvalidInputException("cannot read '" + userPath + "': no data roots are configured on this server");
        }
        Path candidate;
        try {
            candidate = roots.get(0).resolve(userPath).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("'" + userPath + "' is not a valid path: " + e.getMessage(), e);
        }
        if (roots.stream().noneMatch(root -> candidate.startsWith(root) || realPath(root).map(candidate::startsWith).orElse(false))) {
            throw outside(userPath, candidate);
        }
        if (!Files.exists(candidate)) {
            throw new InvalidInputException("path '" + userPath + "' (" + candidate + ") does not exist inside the data roots " + roots);
        }
        Path real = realPath(candidate).orElseThrow(() ->
                new InvalidInputException("path '" + userPath + "' (" + candidate + ") cannot be resolved"));
        for (Path root : roots) {
            Optional<Path> realRoot = realPath(root);
            if (realRoot.isPresent() && real.startsWith(realRoot.get())) {
                return real;
            }
        }
        throw new InvalidInputException("path '" + userPath + "' resolves to " + real
                + " (through a symbolic link), which is outside the data roots " + roots);
    }

    private InvalidInputException outside(String userPath, Path candidate) {
        return new InvalidInputException("path '" + userPath + "' (" + candidate + ") is outside the data roots " + roots
                + "; the server reads user-named files only from these directories");
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "ConfiguredDataRoots" + roots;
    }
}
