package io.purifier.defense.fst;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

/**
 * The parameters of FST: BackdoorBench's {@code config/defense/fst/cifar10.yaml} (in {@code shawkui/BackdoorBenchER},
 * the BackdoorBench authors' extension that carries FST), except the number of epochs (100 there, 20 here: see the
 * README).
 *
 * @param epochs       passes over the clean data; the cosine learning rate spans them
 * @param batchSize    images per step
 * @param learningRate initial SGD rate
 * @param momentum     SGD momentum
 * @param weightDecay  SGD's L2 weight decay
 * @param alpha        weight of the term {@code <W, W0>} that pushes the classifier away from the original
 * @param probeEvery   reporting-probe period in epochs (0 = never)
 */
record FstParams(int epochs, int batchSize, double learningRate, double momentum, double weightDecay, double alpha,
                 int probeEvery) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", 20, 1, 1000,
                    "Passes over the clean data; the cosine learning rate anneals to 0 over them (BackdoorBench: 100).")
                    .withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per SGD step.").withUnit("images"),
            ParamSpec.real("learningRate", 0.01, 1e-6, 1.0, "Initial SGD learning rate, cosine-annealed per epoch."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.real("alpha", 0.2, 0.0, 100.0,
                    "Weight of the inner product between the classifier and its original weights in the loss: larger "
                            + "pushes the classifier (and so the features) further from the backdoored one."),
            ParamSpec.integer("probeEvery", 1, 0, 1000,
                    "Report test C-ACC/ASR/RA curves every this many epochs, before the first and after the last "
                            + "(reporting only, never used for decisions); 0 = never.").withUnit("epochs"));

    /** Reads resolved parameters. */
    static FstParams from(ResolvedParams p) {
        return new FstParams(p.integer("epochs"), p.integer("batchSize"), p.real("learningRate"), p.real("momentum"),
                p.real("weightDecay"), p.real("alpha"), p.integer("probeEvery"));
    }

    /** The rate of epoch {@code epoch} (0-based): {@code lr0 (1 + cos(pi e / E)) / 2}. */
    double learningRateAt(int epoch) {
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
    }

    /** Whether the reporting probe runs after epoch {@code epoch} (1-based; 0 = before training). */
    boolean probesAt(int epoch) {
        return probeEvery > 0 && (epoch == 0 || epoch == epochs || epoch % probeEvery == 0);
    }
}
