package io.purifier.server.bench;

import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;

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

    /** The parameter a defense uses to offer alternative algorithms; the matrix runs every choice of it. */
    public static final String VARIANT_PARAM = "variant";

    /** The label suffix of the out-of-distribution column of an unlabeled-data defense. */
    public static final String OOD_SUFFIX = "-ood";

    public DefenseSetup {
        params = Map.copyOf(params);
        oodDataset = oodDataset == null ? null : Map.copyOf(oodDataset);
    }

    /** The defense with its defaults, labelled by its id. */
    public static DefenseSetup defaults(String defenseId) {
        return new DefenseSetup(defenseId, defenseId, Map.of(), null);
    }

    /**
     * The columns of one installed defense: its defaults; one column per other choice of its {@code variant}
     * parameter (label {@code <id>-<choice>}); and, when it takes unlabeled data, allows another dataset and
     * {@code oodDirectory} holds IDX files, a column drawing that data from there through the {@code idx}
     * dataset plugin (label {@code <id>-ood}).
     *
     * @param defenseId    the defense id
     * @param params       its parameter descriptor
     * @param contract     its data contract
     * @param oodDirectory the out-of-distribution IDX dataset directory, or null
     */
    public static List<DefenseSetup> columnsOf(String defenseId, ParamDescriptor params, DataContract contract, Path oodDirectory) {
        List<DefenseSetup> out = new ArrayList<>();
        out.add(defaults(defenseId));
        ParamSpec variant = params == null ? null : params.spec(VARIANT_PARAM);
        if (variant != null && variant.choices() != null) {
            for (String choice : variant.choices()) {
                if (!choice.equals(variant.defaultValue())) {
                    out.add(new DefenseSetup(defenseId + "-" + choice, defenseId, Map.of(VARIANT_PARAM, choice), null));
                }
            }
        }
        if (contract != null && contract.kind() == DataContract.Kind.UNLABELED && contract.outOfDistributionAllowed()
                && oodDirectory != null && Files.isDirectory(oodDirectory)) {
            out.add(new DefenseSetup(defenseId + OOD_SUFFIX, defenseId, Map.of(),
                    Map.of("id", "idx", "params", Map.of("directory", oodDirectory.toAbsolutePath().toString()))));
        }
        return out;
    }
}
