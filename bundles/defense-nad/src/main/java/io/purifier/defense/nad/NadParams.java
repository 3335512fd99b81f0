package io.purifier.defense.nad;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainingConfig;

import java.util.Arrays;
import java.util.List;

/**
 * The parameters of NAD. Defaults follow BackdoorBench's {@code config/defense/nad/cifar10.yaml} and what its
 * {@code defense/nad.py} does with them: a teacher fine-tuned for {@code te_epochs} = 10 epochs, then a student
 * trained for the same 10 epochs (the code uses {@code te_epochs} for both; the YAML's {@code epochs: 100} is not
 * read by NAD), SGD 0.01 with momentum 0.9 and weight decay 5e-4 for both, batch 256, attention weights
 * {@code beta1..3} = 500, 1000, 1000 and {@code p} = 2.
 *
 * @param teacherEpochs   fine-tuning epochs of the teacher (0: the input model is the teacher)
 * @param epochs          distillation epochs of the student
 * @param batchSize       images per step
 * @param optimizer       sgd or adam, teacher and student
 * @param learningRate    initial learning rate of teacher and student
 * @param momentum        SGD momentum
 * @param weightDecay     L2 weight decay
 * @param teacherSchedule the teacher's per-epoch schedule
 * @param layers          attention layers; empty = by architecture
 * @param betas           attention-loss weights, matched to the layers from the deepest one backwards
 * @param power           the exponent p of the attention maps
 * @param cropPadding     random-crop padding of both trainings (0 = none)
 * @param horizontalFlip  random horizontal flips in both trainings
 */
record NadParams(int teacherEpochs, int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                 double weightDecay, String teacherSchedule, List<String> layers, List<Double> betas, double power,
                 int cropPadding, boolean horizontalFlip) {

    /** BackdoorBench's {@code beta1, beta2, beta3}. */
    static final List<Double> DEFAULT_BETAS = List.of(500.0, 1000.0, 1000.0);

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("teacherEpochs", 10, 0, 1000,
                    "Fine-tuning epochs of the teacher on the clean data (BackdoorBench's te_epochs); 0 = the input "
                            + "model is the teacher.").withUnit("epochs"),
            ParamSpec.integer("epochs", 10, 1, 1000,
                    "Attention-distillation epochs of the student (BackdoorBench runs te_epochs = 10).").withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per step.").withUnit("images"),
            ParamSpec.choice("optimizer", "sgd", TrainingConfig.OPTIMIZERS, "Optimiser of teacher and student (client_optimizer)."),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0,
                    "Initial learning rate of teacher and student; the student follows NAD's steps (this rate for "
                            + "epochs 0-1, then 0.01 until epoch 19, then 0.0001)."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum (sgd_momentum; ignored by Adam)."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay of teacher and student (wd)."),
            ParamSpec.choice("teacherSchedule", "constant", TrainingConfig.SCHEDULES,
                    "The teacher's learning rate per epoch; constant is BackdoorBench's 100-epoch cosine over its first "
                            + "10 epochs within 2.5%."),
            ParamSpec.text("layers", "",
                    "Comma-separated attention layers; empty = layer3, layer4, avgpool for preact-resnet18 (BackdoorBench) "
                            + "and the last three pooling outputs for other CNNs."),
            ParamSpec.realList("betas", DEFAULT_BETAS, 0.0, 1e6,
                    "Attention-loss weights beta1..3, matched to the layers from the deepest one backwards."),
            ParamSpec.real("p", 2.0, 1.0, 8.0, "Exponent of the attention maps sum_c |f_c|^p."),
            ParamSpec.integer("cropPadding", 4, 0, 64,
                    "Random crop after this much zero padding in both trainings (BackdoorBench: 4); 0 disables it.")
                    .withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips in both trainings (BackdoorBench flips on CIFAR-10 only)."));

    /** Copies the lists. */
    NadParams {
        layers = List.copyOf(layers);
        betas = List.copyOf(betas);
    }

    /** Reads resolved parameters. */
    static NadParams from(ResolvedParams p) {
        List<String> layers = Arrays.stream(p.text("layers").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<Double> betas = p.realList("betas");
        if (betas.isEmpty()) {
            throw new InvalidParametersException(List.of(new ParamProblem("betas", betas, "needs at least one weight")));
        }
        if (!layers.isEmpty() && layers.size() != betas.size()) {
            throw new InvalidParametersException(List.of(new ParamProblem("betas", betas, "names " + layers.size()
                    + " layers (" + String.join(", ", layers) + ") but gives " + betas.size() + " weights; give one per layer")));
        }
        return new NadParams(p.integer("teacherEpochs"), p.integer("epochs"), p.integer("batchSize"), p.text("optimizer"),
                p.real("learningRate"), p.real("momentum"), p.real("weightDecay"), p.text("teacherSchedule"), layers,
                betas, p.real("p"), p.integer("cropPadding"), p.bool("horizontalFlip"));
    }

    /** The teacher's fine-tuning configuration (only valid when {@code teacherEpochs >= 1}). */
    TrainingConfig teacherTraining() {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, teacherSchedule, teacherEpochs, batchSize);
    }

    /** A fresh optimiser for the student. */
    Optimizer studentOptimizer() {
        return "adam".equals(optimizer) ? Optimizer.adam(weightDecay) : Optimizer.sgd(momentum, weightDecay);
    }

    /** The training-time augmentation. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }
}
