package io.purifier.sample;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import org.osgi.service.component.annotations.Component;

import java.util.ArrayList;
import java.util.List;

/** Clean accuracy and attack success rate, for host tests. */
@Component(service = Metric.class)
@PurifierPlugin(id = "sample-accuracy", kind = PluginProperties.KIND_METRIC)
public final class SampleAccuracyMetric implements Metric {

    @Override
    public String id() {
        return "sample-accuracy";
    }

    @Override
    public String name() {
        return "Sample accuracy (test metric)";
    }

    @Override
    public String description() {
        return "Clean accuracy and attack success rate.";
    }

    @Override
    public ParamDescriptor parameters() {
        return ParamDescriptor.none();
    }

    @Override
    public List<MetricValue> evaluate(MetricInput input, ResolvedParams params) {
        Evaluation e = input.current();
        List<MetricValue> out = new ArrayList<>();
        out.add(MetricValue.fraction("ACC", share(e.cleanLabels(), e.cleanPredictions()), MetricValue.Direction.HIGHER_IS_BETTER));
        if (e.hasPoisoned()) {
            out.add(MetricValue.fraction("ASR", share(e.poisonedTargets(), e.poisonedPredictions()), MetricValue.Direction.LOWER_IS_BETTER));
        }
        return out;
    }

    private static double share(int[] expected, int[] predicted) {
        int hits = 0;
        for (int i = 0; i < expected.length; i++) {
            hits += expected[i] == predicted[i] ? 1 : 0;
        }
        return expected.length == 0 ? 0 : (double) hits / expected.length;
    }
}
