package io.purifier.api.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

import java.util.List;
import java.util.Objects;

/**
 * A labeled set of images: pixels as a float tensor {@code [N, C, H, W]} with values in [0, 1] (not
 * normalized), one label per image, and the class names.
 *
 * <p>Instances are treated as immutable: never write into {@link #images()}; derive new sets instead.</p>
 */
public final class ImageSet {

    private final INDArray images;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param images     {@code [N, C, H, W]} FLOAT tensor with values in [0, 1]
     * @param labels     N labels in {@code [0, classNames.size())}
     * @param classNames the class names, index = label
     * @throws IllegalArgumentException when shapes or labels do not fit
     */
    public ImageSet(INDArray images, int[] labels, List<String> classNames) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        this.classNames = List.copyOf(classNames);
        if (images.rank() != 4) {
            throw new IllegalArgumentException("images must be [N, C, H, W], got rank " + images.rank());
        }
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException(images.size(0) + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, "
                        + this.classNames.size() + ")");
            }
        }
        this.images = images.dataType() == DataType.FLOAT ? images : images.castTo(DataType.FLOAT);
        this.labels = labels.clone();
    }

    /** The pixels, {@code [N, C, H, W]} in [0, 1]. Do not modify. */
    public INDArray images() {
        return images;
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** The class names, index = label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** Channels per image. */
    public int channels() {
        return (int) images.size(1);
    }

    /** Image height in pixels. */
    public int height() {
        return (int) images.size(2);
    }

    /** Image width in pixels. */
    public int width() {
        return (int) images.size(3);
    }

    /** The images at {@code indices}, in that order (copies). */
    public ImageSet subset(int[] indices) {
        int[] newLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            newLabels[i] = labels[indices[i]];
        }
        INDArray picked = indices.length == 0
                ? Nd4j.create(DataType.FLOAT, 0, channels(), height(), width())
                : images.get(new SpecifiedIndex(indices), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        return new ImageSet(picked, newLabels, classNames);
    }

    /** The same images without labels. */
    public UnlabeledImages withoutLabels() {
        return new UnlabeledImages(images);
    }
}
