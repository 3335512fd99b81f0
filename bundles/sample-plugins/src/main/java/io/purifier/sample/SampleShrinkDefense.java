package io.purifier.sample;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.service.component.annotations.Component;

import java.util.List;
import java.util.Map;

/**
 * A test defense that cuts the backdoor weight of {@link SampleLinearModel}s, with switchable failure modes so the
 * host's handling of broken plugins can be tested: {@code throw}, {@code hang} (sleeps until interrupted),
 * {@code nan} (returns a model producing NaN), {@code slow} (runs {@code seconds} with progress), {@code stuck}
 * (computes forever and ignores interruption and cancellation, like native code that never returns, holding
 * {@code megabytes} of memory).
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "sample-shrink", kind = PluginProperties.KIND_DEFENSE)
public final class SampleShrinkDefense implements Defense {

    private static final ParamDescriptor PARAMS = ParamDescriptor.of(
            ParamSpec.real("factor", 0.0, 0, 10, "Multiplies the weight of the bottom-right pixel."),
            ParamSpec.choice("failMode", "none", List.of("none", "throw", "hang", "nan", "slow", "stuck"), "Failure to simulate."),
            ParamSpec.integer("seconds", 2, 0, 3600, "Duration of the slow mode.").withUnit("s"),
            ParamSpec.integer("megabytes", 0, 0, 4096, "Memory the stuck mode holds while it computes.").withUnit("MB"));

    @Override
    public String id() {
        return "sample-shrink";
    }

    @Override
    public String name() {
        return "Sample shrink (test defense)";
    }

    @Override
    public String description() {
        return "Scales the weights of the last pixel of a sample-linear model; can simulate failures.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMS;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(0.1);
    }

    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) throws Exception {
        int n = data.requireLabeled().size();
        ctx.log("got " + n + " labeled images");
        switch (params.text("failMode")) {
            case "throw" -> throw new IllegalStateException("simulated defense failure");
            case "hang" -> Thread.sleep(Long.MAX_VALUE);
            case "slow" -> {
                long end = System.nanoTime() + params.integer("seconds") * 1_000_000_000L;
                int epoch = 0;
                while (System.nanoTime() < end) {
                    ctx.checkCancelled();
                    Thread.sleep(50);
                    epoch++;
                    ctx.progress(1 - (end - System.nanoTime()) / (params.integer("seconds") * 1e9), "tick " + epoch);
                }
            }
            case "nan" -> {
                return DefenseResult.of(new NanModel(model.info()));
            }
            case "stuck" -> stuck(params.integer("megabytes"));
            default -> {
            }
        }
        SampleLinearModel linear = (SampleLinearModel) model;
        INDArray w = linear.weights().dup();
        w.getRow(w.size(0) - 1).muli(params.real("factor"));
        ctx.curve("loss/total", 1, 0.5);
        ctx.curve("loss/total", 2, 0.25);
        SampleLinearModel purified = new SampleLinearModel(w, linear.bias().dup(), 1, 4, 4);
        ctx.reportingProbe().ifPresent(probe -> probe.evaluate(purified).forEach((name, value) -> ctx.curve("test/" + name, 2, value)));
        ctx.progress(1, "done");
        return new DefenseResult(purified, Map.of("labeledImages", n));
    }

    /** Computes forever, ignoring interruption and cancellation, with {@code megabytes} of memory in use. */
    private static void stuck(int megabytes) {
        byte[][] held = new byte[megabytes][];
        for (int i = 0; i < megabytes; i++) {
            held[i] = new byte[1 << 20];
            java.util.Arrays.fill(held[i], (byte) i);
        }
        long spins = 0;
        while (held.length >= 0) {
            spins++;
            if (spins % 1_000_000_000L == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** A model whose outputs are NaN. */
    private record NanModel(ModelInfo info) implements Model {
        @Override
        public INDArray logits(INDArray images) {
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[]{images.size(0), info.numClasses()}, Double.NaN)
                    .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        }
    }
}
