package io.purifier.engine.nn;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.ParamInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays of a model by full name ({@code node/suffix}), in creation order: trained parameters and buffers, each
 * with the initialiser it was created with. Arrays are dense and C-ordered; writing into one changes the model.
 */
public final class ArrayStore {

    /** One stored array. */
    public record Entry(INDArray array, ArraySpec.Kind kind, ParamInit init) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Adds an array. @throws IllegalArgumentException when the name is taken */
    public void add(String name, INDArray array, ArraySpec.Kind kind, ParamInit init) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("the model already has an array named '" + name + "'");
        }
        entries.put(name, new Entry(array, kind, init));
    }

    /** Removes an array (used when a layer is taken out). */
    public void remove(String name) {
        entries.remove(name);
    }

    /** Whether an array of this name exists. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The array. @throws InvalidInputException naming an unknown array */
    public INDArray get(String name) {
        return entry(name).array();
    }

    /** The entry. @throws InvalidInputException naming an unknown array */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new InvalidInputException("model has no array named '" + name + "'");
        }
        return e;
    }

    /** Every name, in creation order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The names of trained parameters, in creation order. */
    public List<String> parameters() {
        List<String> out = new ArrayList<>();
        entries.forEach((k, v) -> {
            if (v.kind() == ArraySpec.Kind.PARAMETER) {
                out.add(k);
            }
        });
        return out;
    }

    /** A read-only view of the entries. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
