package io.purifier.api.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;

/**
 * Supplies a dataset's train and test splits. Providers must check what they read (exists, readable, right
 * format, consistent shapes) and fail with an {@link InvalidInputException} that names the file and problem.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface DatasetProvider extends Plugin {

    /**
     * Loads the dataset.
     *
     * @param params resolved parameters (for example a directory or a subset size)
     * @param ctx    progress, cancellation, logging, and {@link RunContext#dataRoots()} for user-named paths
     * @return both splits with their content hash
     * @throws InvalidInputException when the data is missing or malformed
     * @throws Exception             on unexpected failures (the step fails with the cause recorded)
     */
    DatasetSplits load(ResolvedParams params, RunContext ctx) throws Exception;
}
