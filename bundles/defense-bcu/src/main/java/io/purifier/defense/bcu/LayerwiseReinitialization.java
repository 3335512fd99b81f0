package io.purifier.defense.bcu;

import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Step 1 of BCU: adaptive layer-wise re-initialization. Fresh values are drawn per parameter from
 * {@code (twin seed, parameter name)} with the distribution the {@link TwinInitializer} gives (BCU's reference
 * network: Kaiming-normal fan-out for convolutions), and every element of every weight and bias that
 * is not a batch-norm parameter is replaced by the twin's value with its layer's slot ratio
 * ({@link ReinitStages}). Batch-norm scales, shifts and running statistics stay exactly the teacher's.
 */
final class LayerwiseReinitialization {

    private LayerwiseReinitialization() {
    }

    /**
     * What was re-initialized.
     *
     * @param layerSlots layer to slot index, in forward order
     * @param elements   per slot: elements eligible for replacement
     * @param replaced   per slot: elements replaced
     */
    record Report(Map<String, Integer> layerSlots, long[] elements, long[] replaced) {

        /** Replaced share of all eligible elements. */
        double replacedFraction() {
            long e = 0;
            long r = 0;
            for (int i = 0; i < elements.length; i++) {
                e += elements[i];
                r += replaced[i];
            }
            return e == 0 ? 0 : (double) r / e;
        }
    }

    /**
     * Re-initializes {@code student} in place.
     *
     * @param student  a copy of the teacher
     * @param ratios   six replacement probabilities: stem, stage 1..4, classifier
     * @param mapping  how layers map to slots
     * @param init     the distribution of the fresh values
     * @param twinSeed the seed of the fresh values
     * @param maskSeed the seed of the Bernoulli masks
     * @return the mapping and counts
     */
    static Report apply(EngineModel student, List<Double> ratios, ReinitStages.Mapping mapping, TwinInitializer init,
                        long twinSeed, long maskSeed) {
        if (ratios.size() != ReinitStages.SLOTS.size()) {
            throw new IllegalArgumentException("need " + ReinitStages.SLOTS.size() + " ratios " + ReinitStages.SLOTS
                    + ", got " + ratios.size());
        }
        Map<String, List<String>> byLayer = weightedLayers(student);
        Set<String> convolutions = new HashSet<>();
        for (Map.Entry<String, List<String>> layer : byLayer.entrySet()) {
            for (String param : layer.getValue()) {
                if (student.array(param).rank() == 4) {
                    convolutions.add(layer.getKey());
                }
            }
        }
        Map<String, Integer> slots = ReinitStages.assign(student.architectureId(), new ArrayList<>(byLayer.keySet()),
                convolutions, mapping);
        List<String> params = new ArrayList<>();
        byLayer.values().forEach(params::addAll);
        long[] elements = new long[ReinitStages.SLOTS.size()];
        long[] replaced = new long[ReinitStages.SLOTS.size()];
        for (Map.Entry<String, List<String>> layer : byLayer.entrySet()) {
            int slot = slots.get(layer.getKey());
            double p = ratios.get(slot);
            for (String param : layer.getValue()) {
                INDArray current = student.array(param);
                DataType type = current.dataType();
                double[] values = current.castTo(DataType.DOUBLE).dup('c').data().asDouble();
                double[] fresh = init.initializerOf(student, param).sample(current.shape(), DataType.DOUBLE, twinSeed, param)
                        .data().asDouble();
                replaced[slot] += WeightMixer.mix(values, fresh, p, new SplittableRandom(maskSeed(maskSeed, param)));
                elements[slot] += values.length;
                student.assign(param, Nd4j.create(values, current.shape(), DataType.DOUBLE).castTo(type));
            }
        }
        return new Report(slots, elements, replaced);
    }

    /**
     * The weights and biases of every layer except batch-norm parameters, grouped by layer (the part of the
     * parameter name before its last '/'), layers in forward order (the order of {@link EngineModel#layerNames()}
     * when every such layer is listed there, creation order otherwise).
     */
    static Map<String, List<String>> weightedLayers(EngineModel model) {
        Set<String> batchNorm = new HashSet<>();
        for (BatchNormLayer bn : model.batchNormLayers()) {
            batchNorm.add(bn.gamma());
            batchNorm.add(bn.beta());
        }
        Map<String, List<String>> byLayer = new LinkedHashMap<>();
        for (String p : model.parameterNames()) {
            if (batchNorm.contains(p)) {
                continue;
            }
            int slash = p.lastIndexOf('/');
            String layer = slash < 0 ? p : p.substring(0, slash);
            byLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(p);
        }
        List<String> forward = model.layerNames();
        if (forward.containsAll(byLayer.keySet())) {
            Map<String, List<String>> ordered = new LinkedHashMap<>();
            for (String layer : forward) {
                if (byLayer.containsKey(layer)) {
                    ordered.put(layer, byLayer.get(layer));
                }
            }
            return ordered;
        }
        return byLayer;
    }

    /** A per-parameter mask seed: the run's mask seed mixed with the parameter name (SplitMix64 finaliser). */
    static long maskSeed(long seed, String param) {
        long z = seed + 0x9E3779B97F4A7C15L * (param.hashCode() | 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
