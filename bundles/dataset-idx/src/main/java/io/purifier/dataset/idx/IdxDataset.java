package io.purifier.dataset.idx;

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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Any pair of MNIST-format (IDX) image and label files per split, read from a directory inside the data roots.
 * Normalization is computed from the training images; augmentation is configurable (no flip by default, as for
 * digits).
 */
@Component(service = DatasetProvider.class)
@PurifierPlugin(id = "idx", kind = PluginProperties.KIND_DATASET)
public final class IdxDataset implements DatasetProvider {

    /** The stable id. */
    public static final String ID = "idx";

    private static final ParamDescriptor PARAMETERS = ParamDescriptor.of(parameterSpecs());

    private static List<ParamSpec> parameterSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(ParamSpec.text("directory", "", "Folder with the IDX files, inside a data root."));
        specs.add(ParamSpec.text("trainImages", "train-images-idx3-ubyte", "Training image file name (.gz optional)."));
        specs.add(ParamSpec.text("trainLabels", "train-labels-idx1-ubyte", "Training label file name (.gz optional)."));
        specs.add(ParamSpec.text("testImages", "t10k-images-idx3-ubyte", "Test image file name (.gz optional)."));
        specs.add(ParamSpec.text("testLabels", "t10k-labels-idx1-ubyte", "Test label file name (.gz optional)."));
        specs.add(ParamSpec.text("classNames", "",
                "Comma-separated class names, index = label; empty names them 0 .. K-1."));
        specs.add(ParamSpec.integer("cropPadding", 2, 0, 16,
                "Zero padding before the random training crop; 0 disables cropping.").withUnit("px"));
        specs.add(ParamSpec.bool("horizontalFlip", false,
                "Random horizontal flips in training; only when mirroring keeps the label (not for digits)."));
        specs.addAll(SubsetRequest.specs(Integer.MAX_VALUE, Integer.MAX_VALUE));
        return specs;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "IDX files";
    }

    @Override
    public String description() {
        return "Any MNIST-format (IDX) image and label files from a data-root folder, gzipped or raw "
                + "(MNIST, KMNIST, EMNIST, ...); normalization computed from the training images.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMETERS;
    }

    /** Reads both splits, names the classes, takes the requested subsets and computes the normalization. */
    @Override
    public DatasetSplits load(ResolvedParams params, RunContext ctx) {
        IdxFiles files = IdxFiles.locate(params, ctx.dataRoots());
        int[] trainLabels = IdxReader.readLabels(files.trainLabels());
        int[] testLabels = IdxReader.readLabels(files.testLabels());
        List<String> classNames = ClassNames.parse(params.text("classNames"),
                Math.max(IdxReader.maxLabel(trainLabels), IdxReader.maxLabel(testLabels)) + 1);
        ctx.progress(0.0, "reading " + files.trainImages());
        ImageSet train = IdxReader.read(files.trainImages(), files.trainLabels(), classNames);
        ctx.checkCancelled();
        ctx.progress(0.6, "reading " + files.testImages());
        ImageSet test = IdxReader.read(files.testImages(), files.testLabels(), classNames);
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new InvalidInputException("training images (" + files.trainImages() + ") are " + train.width() + "x"
                    + train.height() + " but test images (" + files.testImages() + ") are " + test.width() + "x" + test.height());
        }
        SubsetRequest subsets = SubsetRequest.from(params);
        ImageSet trainSubset = subsets.train(train);
        ImageSet testSubset = subsets.test(test);
        ctx.log("idx: " + trainSubset.size() + " of " + train.size() + " training and " + testSubset.size() + " of "
                + test.size() + " test images of " + train.width() + "x" + train.height() + " pixels, "
                + classNames.size() + " classes, from " + files.directory());
        ctx.progress(0.9, "computing the normalization and the content hash");
        return new DatasetSplits(ID + ":" + files.directory().getFileName(), ContentHash.of(trainSubset, testSubset),
                trainSubset, testSubset, Normalizations.compute(trainSubset),
                new Augmentation(params.integer("cropPadding"), params.bool("horizontalFlip")));
    }
}
