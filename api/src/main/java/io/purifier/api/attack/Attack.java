package io.purifier.api.attack;

import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;

/**
 * A backdoor attack: poisons the training data (and supplies the triggered test set used for ASR and RA).
 * The host trains the model; the attack never trains anything itself.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Attack extends Plugin {

    /**
     * Poisons {@code data}. Must be deterministic for a given {@code ctx.seed()}.
     *
     * @throws InvalidInputException when the parameters do not fit the data (target label outside the classes,
     *                               trigger larger than the image, ...), naming the parameter
     * @throws Exception             on unexpected failures
     */
    PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) throws Exception;
}
