package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/** RA: share of the triggered test images still classified as their original label. */
@Component(service = Metric.class)
@PurifierPlugin(id = "ra", kind = PluginProperties.KIND_METRIC)
public final class RobustAccuracyMetric extends ParameterlessMetric {

    /** Creates the component. */
    public RobustAccuracyMetric() {
        super("ra", "Robust accuracy (RA)", "Share of the triggered test images classified as their original label.");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        return fraction("RA", BackdoorMetrics.robustAccuracy(input.current()), MetricValue.Direction.HIGHER_IS_BETTER);
    }
}
