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

/** The clean test set's confusion matrix: counts named {@code confusion[<true>,<predicted>]}, row by row. */
@Component(service = Metric.class)
@PurifierPlugin(id = "confusion-matrix", kind = PluginProperties.KIND_METRIC)
public final class ConfusionMatrixMetric extends ParameterlessMetric {

    /** Creates the component. */
    public ConfusionMatrixMetric() {
        super("confusion-matrix", "Confusion matrix",
                "How many clean test images of each true class were predicted as each class (K x K counts).");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        Evaluation e = input.current();
        long[][] counts = BackdoorMetrics.confusionMatrix(e.cleanLabels(), e.cleanPredictions(), e.numClasses());
        List<MetricValue> values = new ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts[t].length; p++) {
                values.add(new MetricValue("confusion[" + t + "," + p + "]", counts[t][p], MetricValue.Direction.NEUTRAL, "count"));
            }
        }
        return values;
    }
}
