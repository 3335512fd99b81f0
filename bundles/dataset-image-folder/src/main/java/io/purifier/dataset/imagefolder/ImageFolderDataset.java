package io.purifier.dataset.imagefolder;

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
import io.purifier.data.ImageFolderReader;
import io.purifier.data.Normalizations;
import io.purifier.data.SubsetRequest;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset of PNG/JPEG files laid out as {@code <directory>/train/<class>/*} and {@code <directory>/test/<class>/*}
 * (torchvision {@code ImageFolder} style). Both splits must have the same class folders; class names are the sorted
 * folder names. Normalization is computed from the training images.
 */
@Component(service = DatasetProvider.class)
@PurifierPlugin(id = "image-folder", kind = PluginProperties.KIND_DATASET)
public final class ImageFolderDataset implements DatasetProvider {

    /** The stable id. */
    public static final String ID = "image-folder";

    private static final ParamDescriptor PARAMETERS = ParamDescriptor.of(parameterSpecs());

    private static List<ParamSpec> parameterSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(ParamSpec.text("directory", "",
                "Folder holding train/ and test/, each with one sub-folder of PNG/JPEG images per class; inside a data root."));
        specs.add(ParamSpec.integer("cropPadding", 0, 0, 64,
                "Zero padding before the random training crop; 0 disables cropping.").withUnit("px"));
        specs.add(ParamSpec.bool("horizontalFlip", false,
                "Random horizontal flips in training; only when mirroring keeps the label."));
        specs.addAll(SubsetRequest.specs(Integer.MAX_VALUE, Integer.MAX_VALUE));
        return specs;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Image folders";
    }

    @Override
    public String description() {
        return "PNG/JPEG images under train/ and test/, one sub-folder per class (torchvision ImageFolder layout), "
                + "from a data-root folder; normalization computed from the training images.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMETERS;
    }

    /** Reads both splits (the test split must name the same classes), takes subsets, computes the normalization. */
    @Override
    public DatasetSplits load(ResolvedParams params, RunContext ctx) {
        Path dir = ctx.dataRoots().resolve(params.text("directory"));
        Path trainDir = ctx.dataRoots().resolve(dir.resolve("train").toString());
        Path testDir = ctx.dataRoots().resolve(dir.resolve("test").toString());
        ctx.progress(0.0, "reading images from " + trainDir);
        ImageSet fullTrain = ImageFolderReader.read(trainDir);
        ctx.checkCancelled();
        ctx.progress(0.6, "reading images from " + testDir);
        ImageSet fullTest = ImageFolderReader.read(testDir, fullTrain.classNames());
        ImageFolderChecks.sameImageShape(fullTrain, trainDir, fullTest, testDir);
        SubsetRequest subsets = SubsetRequest.from(params);
        ImageSet train = subsets.train(fullTrain);
        ImageSet test = subsets.test(fullTest);
        ctx.log("image-folder: " + train.size() + " of " + fullTrain.size() + " training and " + test.size() + " of "
                + fullTest.size() + " test images, " + train.channels() + "x" + train.height() + "x" + train.width()
                + ", classes " + train.classNames() + ", from " + dir);
        ctx.progress(0.9, "computing the normalization and the content hash");
        return new DatasetSplits(ID + ":" + dir.getFileName(), ContentHash.of(train, test), train, test,
                Normalizations.compute(train), new Augmentation(params.integer("cropPadding"), params.bool("horizontalFlip")));
    }
}
