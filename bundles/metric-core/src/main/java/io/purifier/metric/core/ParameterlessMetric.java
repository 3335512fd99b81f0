package io.purifier.metric.core;

import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;

import java.util.List;
import java.util.OptionalDouble;

/** What the metrics of this bundle share: no parameters, and fixed id, name and description. */
abstract class ParameterlessMetric implements Metric {

    private final String id;
    private final String name;
    private final String description;

    ParameterlessMetric(String id, String name, String description) {
        this.id = id;
        this.name = name;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ParamDescriptor parameters() {
        return ParamDescriptor.none();
    }

    @Override
    public final List<MetricValue> evaluate(MetricInput input, ResolvedParams params) {
        return evaluate(input);
    }

    /** The values for {@code input}. */
    abstract List<MetricValue> evaluate(MetricInput input);

    /** One fraction value, or none when it is undefined. */
    static List<MetricValue> fraction(String valueName, OptionalDouble value, MetricValue.Direction direction) {
        return value.isPresent() ? List.of(MetricValue.fraction(valueName, value.getAsDouble(), direction)) : List.of();
    }
}
