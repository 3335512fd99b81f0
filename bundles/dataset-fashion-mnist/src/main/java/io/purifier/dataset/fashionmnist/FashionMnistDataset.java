package io.purifier.dataset.fashionmnist;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.data.ContentHash;
import io.purifier.data.IdxReader;
import io.purifier.data.Normalizations;
import io.purifier.data.SubsetRequest;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, arXiv:1708.07747, 2017) read from the gzipped IDX files of the Debian
 * package {@code dataset-fashion-mnist}, optionally reduced to class-balanced subsets.
 */
@Component(service = DatasetProvider.class)
@PurifierPlugin(id = "fashion-mnist", kind = PluginProperties.KIND_DATASET)
public final class FashionMnistDataset implements DatasetProvider {

    /** The stable id. */
    public static final String ID = "fashion-mnist";
    /** Where the Debian package installs the files; read without going through the data roots. */
    public static final String SYSTEM_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    /** The class names, index = label, as in the dataset's README. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Zero padding before the random 28x28 crop of training images. */
    public static final int CROP_PADDING = 2;

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private static final ParamDescriptor PARAMETERS = ParamDescriptor.of(parameterSpecs());

    private static List<ParamSpec> parameterSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(ParamSpec.text("directory", SYSTEM_DIRECTORY,
                "Folder with the four gzipped IDX files; other folders must lie inside a data root."));
        specs.addAll(SubsetRequest.specs(60_000, 10_000));
        return specs;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Fashion-MNIST";
    }

    @Override
    public String description() {
        return "60,000 training and 10,000 test grayscale 28x28 images of 10 clothing classes (Xiao et al., 2017), "
                + "from the Debian package dataset-fashion-mnist; optionally a class-balanced subset.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMETERS;
    }

    /**
     * Reads both splits, takes the requested subsets, and returns them with Fashion-MNIST's normalization
     * (mean 0.2860, std 0.3530) and augmentation (crop padding 2, horizontal flip).
     */
    @Override
    public DatasetSplits load(ResolvedParams params, RunContext ctx) {
        Path dir = directory(params.text("directory"), ctx);
        SubsetRequest subsets = SubsetRequest.from(params);
        ctx.progress(0.0, "reading Fashion-MNIST from " + dir);
        ImageSet train = IdxReader.read(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), CLASSES);
        ctx.checkCancelled();
        ctx.progress(0.7, "reading the Fashion-MNIST test split");
        ImageSet test = IdxReader.read(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), CLASSES);
        checkShape(train, dir.resolve(TRAIN_IMAGES));
        checkShape(test, dir.resolve(TEST_IMAGES));
        ImageSet trainSubset = subsets.train(train);
        ImageSet testSubset = subsets.test(test);
        ctx.log("fashion-mnist: " + trainSubset.size() + " of " + train.size() + " training and " + testSubset.size()
                + " of " + test.size() + " test images from " + dir
                + (subsets.isAll() ? "" : " (class-balanced subsets, subsetSeed " + subsets.subsetSeed() + ")"));
        ctx.progress(0.9, "hashing the images");
        String hash = ContentHash.of(trainSubset, testSubset);
        return new DatasetSplits(ID, hash, trainSubset, testSubset, Normalizations.fashionMnist(),
                new Augmentation(CROP_PADDING, true));
    }

    /** The system directory as it is; any other directory through the data roots. Fails when files are missing. */
    private static Path directory(String value, RunContext ctx) {
        boolean system;
        try {
            system = Path.of(value).normalize().equals(Path.of(SYSTEM_DIRECTORY));
        } catch (InvalidPathException e) {
            throw new InvalidInputException("directory '" + value + "' is not a valid path: " + e.getMessage(), e);
        }
        Path dir = system ? Path.of(SYSTEM_DIRECTORY) : ctx.dataRoots().resolve(value);
        List<String> missing = new ArrayList<>();
        for (String file : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (!Files.exists(dir.resolve(file))) {
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            return dir;
        }
        if (system) {
            throw new InvalidInputException("Fashion-MNIST not found at " + dir
                    + ": install the Debian package dataset-fashion-mnist (./purifier serve does this)");
        }
        throw new InvalidInputException("Fashion-MNIST not found at " + dir + ": missing " + String.join(", ", missing));
    }

    private static void checkShape(ImageSet set, Path file) {
        if (set.height() != 28 || set.width() != 28) {
            throw new InvalidInputException("IDX image file " + file + " holds " + set.width() + "x" + set.height()
                    + " images, but Fashion-MNIST images are 28x28");
        }
    }
}
