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

/** Accuracy on the clean test images of each class, named {@code acc[<class index>]}. */
@Component(service = Metric.class)
@PurifierPlugin(id = "per-class-accuracy", kind = PluginProperties.KIND_METRIC)
public final class PerClassAccuracyMetric extends ParameterlessMetric {

    /** Creates the component. */
    public PerClassAccuracyMetric() {
        super("per-class-accuracy", "Per-class accuracy",
                "Accuracy on the clean test images of each class (classes without test images are left out).");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        Evaluation e = input.current();
        double[] accuracy = BackdoorMetrics.perClassAccuracy(e.cleanLabels(), e.cleanPredictions(), e.numClasses());
        List<MetricValue> values = new ArrayList<>();
        for (int c = 0; c < accuracy.length; c++) {
            if (!Double.isNaN(accuracy[c])) {
                values.add(MetricValue.fraction("acc[" + c + "]", accuracy[c], MetricValue.Direction.HIGHER_IS_BETTER));
            }
        }
        return values;
    }
}
