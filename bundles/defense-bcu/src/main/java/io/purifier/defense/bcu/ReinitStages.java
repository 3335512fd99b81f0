package io.purifier.defense.bcu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns each weighted layer (convolution, dense; never batch norm) to one of BCU's six re-initialization
 * slots: {@code stem}, {@code stage1} .. {@code stage4} and {@code classifier}, whose ratios are the six entries
 * of the {@code reinitRatios} parameter.
 *
 * <p>Mappings (see README "Stages"):</p>
 * <ul>
 *   <li>{@code preact-resnet18} by name, as BCU does for its ResNet-18: {@code conv1} is the stem,
 *       {@code layerS.*} (convolutions and 1x1 shortcut convolutions) is stage S, {@code linear} the classifier.</li>
 *   <li>every other model ({@code small-cnn}, {@code vgg-small}, imported models) by depth, the specification's
 *       rule for CNNs: the last weighted layer is the classifier; the first convolution is the stem; the other M
 *       convolutions k = 1..M (forward order) fall into depth quartiles, stage {@code ceil(4k/M)}, so the last
 *       convolution is in stage 4 like ResNet's {@code layer4}; hidden dense layers are stage 4. For
 *       {@code small-cnn}: conv1 → stem, conv2 → stage 4, fc1 → stage 4, fc2 → classifier.</li>
 * </ul>
 * Layers the named mapping does not recognise (for example layers a previous defense inserted) fall back to their
 * depth slot.
 */
final class ReinitStages {

    /** Slot names, index = position in {@code reinitRatios}. */
    static final List<String> SLOTS = List.of("stem", "stage1", "stage2", "stage3", "stage4", "classifier");
    /** Index of the classifier slot. */
    static final int CLASSIFIER = 5;

    /** How layers are mapped to slots. */
    enum Mapping {
        /** The named mapping of a zoo architecture where there is one, depth otherwise. */
        ARCHITECTURE("architecture"),
        /** Always by depth. */
        DEPTH("depth");

        /** Choice strings of the {@code stageMapping} parameter. */
        static final List<String> CHOICES = List.of("architecture", "depth");

        private final String id;

        Mapping(String id) {
            this.id = id;
        }

        /** The parameter value. */
        String id() {
            return id;
        }

        /** The mapping named {@code id}. */
        static Mapping fromId(String id) {
            for (Mapping m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown stage mapping '" + id + "' (known: " + CHOICES + ")");
        }
    }

    private ReinitStages() {
    }

    /**
     * The slot of each weighted layer.
     *
     * @param architectureId the model's architecture id
     * @param layers         weighted layers in forward order; the last one is the classifier
     * @param convolutions   which of them are convolutions (the others are dense layers)
     * @param mapping        named or depth mapping
     * @return layer name to slot index (0..5), in the order of {@code layers}
     */
    static Map<String, Integer> assign(String architectureId, List<String> layers, java.util.Set<String> convolutions,
                                       Mapping mapping) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no weighted layer to re-initialize");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        int hidden = layers.size() - 1;
        int convCount = 0;
        for (int j = 0; j < hidden; j++) {
            if (convolutions.contains(layers.get(j))) {
                convCount++;
            }
        }
        int convIndex = 0;
        for (int j = 0; j < layers.size(); j++) {
            String layer = layers.get(j);
            int slot;
            if (j == hidden) {
                slot = CLASSIFIER;
            } else if (convolutions.contains(layer)) {
                slot = convSlot(convIndex++, convCount);
            } else {
                slot = 4;
            }
            if (mapping == Mapping.ARCHITECTURE && j != hidden) {
                Integer named = namedSlot(architectureId, layer);
                if (named != null) {
                    slot = named;
                }
            }
            out.put(layer, slot);
        }
        return out;
    }

    /**
     * The slot of convolution {@code k} (0-based, forward order) of {@code count}: 0 (stem) for the first, stage
     * {@code ceil(4k/(count-1))} for the others, so the last is always stage 4.
     */
    static int convSlot(int k, int count) {
        if (k == 0) {
            return 0;
        }
        return (int) Math.ceil(4.0 * k / (count - 1));
    }

    private static Integer namedSlot(String architectureId, String layer) {
        switch (architectureId) {
            case "preact-resnet18":
                if (layer.equals("conv1")) {
                    return 0;
                }
                return stagePrefix(layer, "layer", 4);
            default:
                return null;
        }
    }

    /** {@code S} when {@code layer} starts with {@code prefix + S + "."} and S is in 1..max. */
    private static Integer stagePrefix(String layer, String prefix, int max) {
        if (!layer.startsWith(prefix)) {
            return null;
        }
        int dot = layer.indexOf('.', prefix.length());
        if (dot < 0) {
            return null;
        }
        try {
            int stage = Integer.parseInt(layer.substring(prefix.length(), dot));
            return stage >= 1 && stage <= max ? stage : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
