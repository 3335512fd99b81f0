package io.purifier.dataset.cifar10;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.data.CifarBinaryReader;
import io.purifier.data.ContentHash;
import io.purifier.data.Normalizations;
import io.purifier.data.SubsetRequest;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", 2009), binary version, read from a
 * folder inside the data roots. BackdoorBench's normalization and augmentation (crop padding 4, horizontal flip).
 */
@Component(service = DatasetProvider.class)
@PurifierPlugin(id = "cifar10", kind = PluginProperties.KIND_DATASET)
public final class Cifar10Dataset implements DatasetProvider {

    /** The stable id. */
    public static final String ID = "cifar10";
    /** Zero padding before the random 32x32 crop of training images (BackdoorBench). */
    public static final int CROP_PADDING = 4;

    private static final ParamDescriptor PARAMETERS = ParamDescriptor.of(parameterSpecs());

    private static List<ParamSpec> parameterSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(ParamSpec.text("directory", "",
                "Folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin (cifar-10-batches-bin), inside a data root."));
        specs.addAll(SubsetRequest.specs(50_000, 10_000));
        return specs;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "CIFAR-10";
    }

    @Override
    public String description() {
        return "50,000 training and 10,000 test color 32x32 images of 10 classes (Krizhevsky, 2009), from the binary "
                + "batches in a data-root folder; optionally a class-balanced subset.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMETERS;
    }

    /**
     * Reads the batches, takes the requested subsets, and returns them with BackdoorBench's CIFAR-10 normalization
     * (when the classes are CIFAR-10's; otherwise one computed from the training images) and augmentation.
     */
    @Override
    public DatasetSplits load(ResolvedParams params, RunContext ctx) {
        Path dir = ctx.dataRoots().resolve(params.text("directory"));
        ctx.progress(0.0, "reading CIFAR-10 batches from " + dir);
        CifarBinaryReader.Splits splits = CifarBinaryReader.read(dir);
        ctx.checkCancelled();
        SubsetRequest subsets = SubsetRequest.from(params);
        ImageSet train = subsets.train(splits.train());
        ImageSet test = subsets.test(splits.test());
        boolean standardClasses = train.classNames().equals(CifarBinaryReader.CIFAR10_CLASSES);
        Normalization normalization = standardClasses ? Normalizations.cifar10() : Normalizations.compute(train);
        ctx.log("cifar10: " + train.size() + " of " + splits.train().size() + " training and " + test.size() + " of "
                + splits.test().size() + " test images from " + dir
                + (standardClasses ? "" : "; class names from " + CifarBinaryReader.META_FILE + ", normalization computed"));
        ctx.progress(0.9, "hashing the images");
        return new DatasetSplits(ID + ":" + dir.getFileName(), ContentHash.of(train, test), train, test, normalization,
                new Augmentation(CROP_PADDING, true));
    }
}
