package io.purifier.server.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the data directory (database, tokens, models, artifacts) private to the service's user: at start the
 * directory must belong to the user running the server, and it and everything in it is made readable by that
 * user only (directories 0700, files 0600). Symbolic links are left alone and not followed.
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} if needed, checks its owner, and narrows the permissions of it and everything below it.
     *
     * @return the paths whose permissions were narrowed
     * @throws IllegalStateException when the directory belongs to another user
     */
    public static List<Path> secure(Path dir) throws IOException {
        Files.createDirectories(dir);
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        String self = System.getProperty("user.name");
        if (self != null && !owner.getName().equals(self)) {
            throw new IllegalStateException("the data directory " + dir + " belongs to user '" + owner.getName()
                    + "', but the server runs as '" + self + "'; run it as '" + owner.getName() + "' or give it a directory of its own");
        }
        List<Path> narrowed = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                narrow(d, true, narrowed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    narrow(f, false, narrowed);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return narrowed;
    }

    /** Drops every group and other permission; the owner keeps what it had plus read and write (and search on directories). */
    private static void narrow(Path path, boolean directory, List<Path> narrowed) throws IOException {
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> target = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (directory || current.contains(PosixFilePermission.OWNER_EXECUTE)) {
            target.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (!target.equals(current)) {
            Files.setPosixFilePermissions(path, target);
            narrowed.add(path);
        }
    }
}
