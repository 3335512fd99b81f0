package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/** C-ACC: top-1 accuracy on the clean test set (BackdoorBench's ACC). */
@Component(service = Metric.class)
@PurifierPlugin(id = "c-acc", kind = PluginProperties.KIND_METRIC)
public final class CleanAccuracyMetric extends ParameterlessMetric {

    /** Creates the component. */
    public CleanAccuracyMetric() {
        super("c-acc", "Clean accuracy (C-ACC)", "Top-1 accuracy on the clean test set.");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        return fraction("C-ACC", BackdoorMetrics.cleanAccuracy(input.current()), MetricValue.Direction.HIGHER_IS_BETTER);
    }
}
