package io.purifier.data;

import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * The subset parameters every dataset provider shares: {@code trainSize} and {@code testSize} (0 = all images,
 * otherwise a class-balanced subset of exactly that many, see {@link Subsets#allOrBalanced}) and
 * {@code subsetSeed}. The seed is a parameter of its own, not the run's seed, so that runs with different pipeline
 * seeds can still share the same images (and the same content hash and cached attack results).
 *
 * @param trainSize  training images to keep, 0 = all
 * @param testSize   test images to keep, 0 = all
 * @param subsetSeed seed of the class-balanced draw
 */
public record SubsetRequest(int trainSize, int testSize, int subsetSeed) {

    /** Parameter name of the training-set size. */
    public static final String TRAIN_SIZE = "trainSize";
    /** Parameter name of the test-set size. */
    public static final String TEST_SIZE = "testSize";
    /** Parameter name of the subset seed. */
    public static final String SUBSET_SEED = "subsetSeed";

    /**
     * The three parameter specs.
     *
     * @param maxTrain largest sensible training size (the dataset's size when known)
     * @param maxTest  largest sensible test size
     */
    public static List<ParamSpec> specs(int maxTrain, int maxTest) {
        return List.of(
                ParamSpec.integer(TRAIN_SIZE, 0, 0, maxTrain,
                        "Training images to use: 0 = all, otherwise a class-balanced random subset of this many.")
                        .withUnit("images"),
                ParamSpec.integer(TEST_SIZE, 0, 0, maxTest,
                        "Test images to use: 0 = all, otherwise a class-balanced random subset of this many.")
                        .withUnit("images"),
                ParamSpec.integer(SUBSET_SEED, 0, 0, Integer.MAX_VALUE,
                        "Seed of the subset draw; fixed by default so that every run sees the same images."));
    }

    /** Reads the three values from resolved parameters. */
    public static SubsetRequest from(ResolvedParams params) {
        return new SubsetRequest(params.integer(TRAIN_SIZE), params.integer(TEST_SIZE), params.integer(SUBSET_SEED));
    }

    /** The training subset (or the whole set when trainSize is 0). */
    public ImageSet train(ImageSet train) {
        return Subsets.allOrBalanced(train, trainSize, subsetSeed, TRAIN_SIZE);
    }

    /** The test subset (or the whole set when testSize is 0); drawn with a seed different from the training draw. */
    public ImageSet test(ImageSet test) {
        return Subsets.allOrBalanced(test, testSize, subsetSeed + 1L, TEST_SIZE);
    }

    /** Whether both sizes are 0 (the whole dataset). */
    public boolean isAll() {
        return trainSize == 0 && testSize == 0;
    }
}
