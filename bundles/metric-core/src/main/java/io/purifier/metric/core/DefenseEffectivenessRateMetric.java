package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/** DER = [max(0, ΔASR) − max(0, ΔACC) + 1] / 2 against the backdoored baseline (BackdoorBench). */
@Component(service = Metric.class)
@PurifierPlugin(id = "der", kind = PluginProperties.KIND_METRIC)
public final class DefenseEffectivenessRateMetric extends ParameterlessMetric {

    /** Creates the component. */
    public DefenseEffectivenessRateMetric() {
        super("der", "Defense effectiveness rate (DER)",
                "[max(0, ASR drop) - max(0, C-ACC drop) + 1] / 2 relative to the model before the defense; 0.5 = no change.");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        return fraction("DER", BackdoorMetrics.defenseEffectivenessRate(input.baseline(), input.current()),
                MetricValue.Direction.HIGHER_IS_BETTER);
    }
}
