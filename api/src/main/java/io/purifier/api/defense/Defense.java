package io.purifier.api.defense;

import io.purifier.api.Plugin;
import io.purifier.api.model.Model;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;

/**
 * A post-training backdoor defense: takes a model and the data of its {@link DataContract}, returns a purified
 * model. It must not modify the input model (the host compares before and after), should report progress and
 * per-epoch curves through the {@link RunContext}, and check for cancellation between batches.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Defense extends Plugin {

    /** What data this defense needs; the host hands over exactly that. */
    DataContract dataContract();

    /**
     * Purifies {@code model}.
     *
     * @param model  the model to purify (do not modify)
     * @param data   the data the contract declared
     * @param params resolved parameters
     * @param ctx    progress, cancellation, seed, curves, artifacts
     * @return the purified model
     * @throws Exception any failure fails this step with the cause recorded; the server and other runs go on
     */
    DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) throws Exception;
}
