package io.purifier.sample;

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
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Tiny synthetic 1x4x4 images in 3 classes: class c is bright in row c. Deterministic for a given data seed. */
@Component(service = DatasetProvider.class)
@PurifierPlugin(id = "sample-blobs", kind = PluginProperties.KIND_DATASET)
public final class SampleBlobsDataset implements DatasetProvider {

    private static final ParamDescriptor PARAMS = ParamDescriptor.of(
            ParamSpec.integer("trainSize", 90, 3, 10_000, "Training images."),
            ParamSpec.integer("testSize", 30, 3, 10_000, "Test images."),
            ParamSpec.integer("dataSeed", 1, 0, Integer.MAX_VALUE, "Seed of the synthetic data."));

    @Override
    public String id() {
        return "sample-blobs";
    }

    @Override
    public String name() {
        return "Sample blobs (test data)";
    }

    @Override
    public String description() {
        return "Synthetic 1x4x4 images in 3 classes, for tests of the host.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMS;
    }

    @Override
    public DatasetSplits load(ResolvedParams params, RunContext ctx) throws Exception {
        Random rng = new Random(params.integer("dataSeed"));
        ImageSet train = make(params.integer("trainSize"), rng);
        ImageSet test = make(params.integer("testSize"), rng);
        ctx.progress(1, "generated");
        return new DatasetSplits("sample-blobs", hash(train, test), train, test, Normalization.identity(1), Augmentation.none());
    }

    private static ImageSet make(int n, Random rng) {
        float[] pixels = new float[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 16; p++) {
                float base = (p / 4 == labels[i]) ? 0.8f : 0.1f;
                pixels[i * 16 + p] = Math.min(1f, Math.max(0f, base + (float) (rng.nextGaussian() * 0.05)));
            }
            pixels[i * 16 + 15] = 0f;
        }
        return new ImageSet(Nd4j.create(pixels, new long[]{n, 1, 4, 4}), labels, List.of("row0", "row1", "row2"));
    }

    private static String hash(ImageSet... sets) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (ImageSet set : sets) {
            float[] data = set.images().dup().data().asFloat();
            ByteBuffer buf = ByteBuffer.allocate(data.length * 4 + set.size() * 4);
            for (float f : data) {
                buf.putFloat(f);
            }
            for (int l : set.labels()) {
                buf.putInt(l);
            }
            sha.update(buf.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
