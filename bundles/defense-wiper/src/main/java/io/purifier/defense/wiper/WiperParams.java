package io.purifier.defense.wiper;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * The parameters of the WIPER defense. Defaults follow the reference code's script
 * ({@code purifying_backdoor/defense.py}): alpha 0.01, beta 0.5, eta 0.9, 10 epochs, plain SGD with learning
 * rate 0.01, batch 128, the final classifier layer.
 *
 * @param variant        which penalty form (reference code or corrected)
 * @param selection      which elements the corrected penalty selects (the reference variant always uses the
 *                       highest salience)
 * @param layers         comma-separated purifying layer names or aliases (see {@link PurifyingLayers})
 * @param alpha          penalty strength
 * @param beta           selected fraction in the first epoch's schedule
 * @param eta            salience EMA factor
 * @param epochs         purification epochs
 * @param learningRate   SGD learning rate (constant)
 * @param momentum       SGD momentum
 * @param weightDecay    L2 weight decay on every parameter
 * @param batchSize      images per step
 * @param cropPadding    random-crop padding of the training augmentation (0 = none)
 * @param horizontalFlip random horizontal flips in the training augmentation
 */
record WiperParams(PenaltyVariant variant, SelectionRule selection, String layers, double alpha, double beta,
                   double eta, int epochs, double learningRate, double momentum, double weightDecay, int batchSize,
                   int cropPadding, boolean horizontalFlip) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.choice("variant", "reference", PenaltyVariant.CHOICES,
                    "reference: the authors' code exactly (L1 on every element of the purifying layers, exponential "
                            + "branch on selected large weights, sign bug below -1); corrected: symmetric penalty on "
                            + "the selected elements only.").asVariant(),
            ParamSpec.choice("selection", "highest-salience", SelectionRule.CHOICES,
                    "Elements the corrected penalty selects: highest benign salience (as the code), or lowest "
                            + "|salience| (as the paper's wording). The reference variant needs highest-salience."),
            ParamSpec.text("layers", PurifyingLayers.CLASSIFIER,
                    "Comma-separated purifying layers: layer names, or the aliases classifier (output layer), "
                            + "penultimate (dense layer before it), last-conv (last convolution)."),
            ParamSpec.real("alpha", 0.01, 0.0, 10.0,
                    "Strength of the adaptive regularization, summed over the purifying elements."),
            ParamSpec.real("beta", 0.5, 0.0, 1.0,
                    "Selected fraction at the start of the schedule; it grows linearly to 1 in the last epoch."),
            ParamSpec.real("eta", 0.9, 0.0, 1.0,
                    "Exponential-moving-average factor of the benign salience (weight of the old value)."),
            ParamSpec.integer("epochs", 10, 1, 1000, "Purification epochs over the clean data.").withUnit("epochs"),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0, "SGD learning rate (constant) for all parameters."),
            ParamSpec.real("momentum", 0.0, 0.0, 0.999, "SGD momentum (the reference code's latest version uses none)."),
            ParamSpec.real("weightDecay", 0.0, 0.0, 0.1, "L2 weight decay on all parameters (reference: none)."),
            ParamSpec.integer("batchSize", 128, 2, 4096, "Images per step.").withUnit("images"),
            ParamSpec.integer("cropPadding", 2, 0, 64,
                    "Random crop after this much zero padding during fine-tuning (0 disables it).").withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips during fine-tuning (the reference uses them on CIFAR-10; wrong for digits)."));

    /**
     * Reads resolved parameters.
     *
     * @throws InvalidParametersException naming {@code selection} when the reference variant is asked to select
     *                                    by lowest |salience| (the reference code has no such option)
     */
    static WiperParams from(ResolvedParams p) {
        PenaltyVariant variant = PenaltyVariant.fromId(p.text("variant"));
        SelectionRule selection = SelectionRule.fromId(p.text("selection"));
        if (variant == PenaltyVariant.REFERENCE && selection != SelectionRule.HIGHEST_SALIENCE) {
            throw new InvalidParametersException(List.of(new ParamProblem("selection", selection.id(),
                    "the reference variant selects the highest salience as the authors' code does; use variant "
                            + "corrected to select by lowest |salience|")));
        }
        return new WiperParams(variant, selection, p.text("layers").trim(), p.real("alpha"), p.real("beta"),
                p.real("eta"), p.integer("epochs"), p.real("learningRate"), p.real("momentum"), p.real("weightDecay"),
                p.integer("batchSize"), p.integer("cropPadding"), p.bool("horizontalFlip"));
    }

    /** The training-time augmentation. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }
}
