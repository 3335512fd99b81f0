package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * ASR per source class, named {@code asr[<class index>]}: which classes the trigger pulls to the target and which
 * resist it. Empty without an attack.
 */
@Component(service = Metric.class)
@PurifierPlugin(id = "per-class-asr", kind = PluginProperties.KIND_METRIC)
public final class PerClassAttackSuccessRateMetric extends ParameterlessMetric {

    /** Creates the component. */
    public PerClassAttackSuccessRateMetric() {
        super("per-class-asr", "Per-class attack success rate",
                "Share of the triggered test images of each original class classified as the backdoor target "
                        + "(classes without triggered images, such as the target, are left out).");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        Evaluation e = input.current();
        if (!e.hasPoisoned()) {
            return List.of();
        }
        double[] rate = BackdoorMetrics.perClassAttackSuccessRate(e.poisonedLabels(), e.poisonedTargets(),
                e.poisonedPredictions(), e.numClasses());
        List<MetricValue> values = new ArrayList<>();
        for (int c = 0; c < rate.length; c++) {
            if (!Double.isNaN(rate[c])) {
                values.add(MetricValue.fraction("asr[" + c + "]", rate[c], MetricValue.Direction.LOWER_IS_BETTER));
            }
        }
        return values;
    }
}
