package io.purifier.bench.matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One defense column of the benchmark matrix: a defense with parameter overrides and, for defenses that take
 * unlabeled data, optionally another dataset to draw it from.
 *
 * @param label      the column label, e.g. {@code wiper-corrected} (also the run name suffix)
 * @param defenseId  the defense plugin id
 * @param params     parameter overrides (empty: the defense's defaults)
 * @param oodDataset for unlabeled-data defenses: {@code {"id": ..., "params": {...}}} of another dataset, or null
 *                   for held-out images of the benchmark's own dataset
 */
public record DefenseSetup(String label, String defenseId, Map<String, Object> params, Map<String, Object> oodDataset) {

    /** The label suffix of the out-of-distribution column of an unlabeled-data defense. */
    public static final String OOD_SUFFIX = "-ood";

    /** The dataset plugin that reads the out-of-distribution images (IDX files in a directory). */
    public static final String OOD_DATASET = "idx";

    /** Copies the maps. */
    public DefenseSetup {
        params = Map.copyOf(params);
        oodDataset = oodDataset == null ? null : Map.copyOf(oodDataset);
    }

    /**
     * The columns of one installed defense: its defaults; one column per other choice of each variant parameter
     * (label {@code <id>-<choice>}); and, when it takes unlabeled data, allows another dataset and
     * {@code oodDirectory} is a directory, a column drawing that data from there through the {@value #OOD_DATASET}
     * dataset plugin (label {@code <id>-ood}).
     *
     * @param defense      the defense
     * @param oodDirectory the out-of-distribution IDX dataset directory, or null when there is none (or the
     *                     {@value #OOD_DATASET} plugin is not installed)
     */
    public static List<DefenseSetup> columnsOf(InstalledDefense defense, Path oodDirectory) {
        List<DefenseSetup> out = new ArrayList<>();
        out.add(new DefenseSetup(defense.id(), defense.id(), Map.of(), null));
        for (InstalledDefense.Variant variant : defense.variants()) {
            for (String choice : variant.choices()) {
                if (!choice.equals(variant.defaultChoice())) {
                    out.add(new DefenseSetup(defense.id() + "-" + choice, defense.id(), Map.of(variant.parameter(), choice), null));
                }
            }
        }
        if (defense.takesUnlabeledData() && defense.otherDatasetsAllowed() && oodDirectory != null
                && Files.isDirectory(oodDirectory)) {
            out.add(new DefenseSetup(defense.id() + OOD_SUFFIX, defense.id(), Map.of(),
                    Map.of("id", OOD_DATASET, "params", Map.of("directory", oodDirectory.toAbsolutePath().toString()))));
        }
        return out;
    }
}
