package io.purifier.data;

import io.purifier.api.data.ImageSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selecting images of an {@link ImageSet} by index. Gives the same result as {@link ImageSet#subset(int[])}, whose
 * first version failed on every non-empty selection ({@code INDArray.getRows} refuses rank-4 tensors in ND4J
 * 1.0.0-M2.1; fixed in the api later). The toolkit uses this class so that it does not depend on which api build
 * is installed, and it names an out-of-range index in its error.
 */
public final class ImageSets {

    private ImageSets() {
    }

    /** The images at {@code indices}, in that order, with their labels (a copy; indices may repeat). */
    public static ImageSet select(ImageSet set, int[] indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= set.size()) {
                throw new IndexOutOfBoundsException("index " + indices[i] + " is outside [0, " + set.size() + ")");
            }
            labels[i] = set.label(indices[i]);
        }
        return new ImageSet(selectImages(set.images(), indices), labels, set.classNames());
    }

    /** The rows {@code indices} of an {@code [N, C, H, W]} tensor, in that order (a copy). */
    public static INDArray selectImages(INDArray images, int[] indices) {
        long c = images.size(1);
        long h = images.size(2);
        long w = images.size(3);
        if (indices.length == 0) {
            return Nd4j.create(images.dataType() == DataType.FLOAT ? DataType.FLOAT : images.dataType(), 0, c, h, w);
        }
        INDArray flat = images.reshape('c', images.size(0), c * h * w);
        return Nd4j.pullRows(flat, 1, indices).reshape('c', indices.length, c, h, w);
    }
}
