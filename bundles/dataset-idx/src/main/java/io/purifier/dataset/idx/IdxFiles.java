package io.purifier.dataset.idx;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;
import io.purifier.api.param.ResolvedParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four IDX files of a dataset, located in the user's directory. Each file name is looked up as given and with
 * {@code .gz} added (or removed), and every file is resolved through the data roots too, so a symbolic link in the
 * directory cannot point outside them.
 *
 * @param directory   the dataset folder (real path)
 * @param trainImages training image file
 * @param trainLabels training label file
 * @param testImages  test image file
 * @param testLabels  test label file
 */
record IdxFiles(Path directory, Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

    static IdxFiles locate(ResolvedParams params, DataRoots roots) {
        Path dir = roots.resolve(params.text("directory"));
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("IDX dataset directory " + dir + " is not a directory");
        }
        return new IdxFiles(dir,
                file(dir, "trainImages", params.text("trainImages"), roots),
                file(dir, "trainLabels", params.text("trainLabels"), roots),
                file(dir, "testImages", params.text("testImages"), roots),
                file(dir, "testLabels", params.text("testLabels"), roots));
    }

    private static Path file(Path dir, String parameter, String name, DataRoots roots) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new InvalidInputException(parameter + " must be a file name inside the dataset directory, got '" + name + "'");
        }
        List<String> candidates = new ArrayList<>(List.of(name));
        candidates.add(name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name + ".gz");
        for (String candidate : candidates) {
            Path path = dir.resolve(candidate);
            if (Files.exists(path)) {
                return roots.resolve(path.toString());
            }
        }
        throw new InvalidInputException(parameter + ": no file " + String.join(" or ", candidates) + " in " + dir);
    }
}
