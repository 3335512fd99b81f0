package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/** RIR = [max(0, RA_def − RA_bd) − max(0, ΔACC) + 1] / 2 against the backdoored baseline. */
@Component(service = Metric.class)
@PurifierPlugin(id = "rir", kind = PluginProperties.KIND_METRIC)
public final class RobustImprovementRateMetric extends ParameterlessMetric {

    /** Creates the component. */
    public RobustImprovementRateMetric() {
        super("rir", "Robust improvement rate (RIR)",
                "[max(0, RA gain) - max(0, C-ACC drop) + 1] / 2 relative to the model before the defense; 0.5 = no change.");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        return fraction("RIR", BackdoorMetrics.robustImprovementRate(input.baseline(), input.current()),
                MetricValue.Direction.HIGHER_IS_BETTER);
    }
}
