package io.purifier.metric.core;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/** ASR: share of the triggered test images classified as the backdoor target. */
@Component(service = Metric.class)
@PurifierPlugin(id = "asr", kind = PluginProperties.KIND_METRIC)
public final class AttackSuccessRateMetric extends ParameterlessMetric {

    /** Creates the component. */
    public AttackSuccessRateMetric() {
        super("asr", "Attack success rate (ASR)",
                "Share of the triggered test images (outside the target class) classified as the backdoor target.");
    }

    @Override
    List<MetricValue> evaluate(MetricInput input) {
        return fraction("ASR", BackdoorMetrics.attackSuccessRate(input.current()), MetricValue.Direction.LOWER_IS_BETTER);
    }
}
