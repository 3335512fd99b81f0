package io.purifier.data;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.UnlabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 fingerprints of image data, used as a dataset's identity in provenance and cache keys.
 *
 * <p>The digest covers, for every set in order: the shape {@code [N, C, H, W]}, every pixel as its IEEE-754
 * float bits (big-endian, C order), the labels, and the class names (UTF-8, length-prefixed). Identical data gives
 * the identical hash on any machine; changing one pixel, label or class name changes it. The result is 64
 * lower-case hex digits.</p>
 */
public final class ContentHash {

    /** Images hashed per chunk, bounding the heap copy of the pixels. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private ContentHash() {
    }

    /** The hash of one or more labeled sets, in the given order (for example train then test). */
    public static String of(ImageSet... sets) {
        MessageDigest digest = sha256();
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        update(digest, header.putLong(0, sets.length));
        for (ImageSet set : sets) {
            digest.update("ImageSet".getBytes(StandardCharsets.UTF_8));
            hashPixels(digest, set.images());
            ByteBuffer labels = ByteBuffer.allocate(4 * set.size()).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < set.size(); i++) {
                labels.putInt(set.label(i));
            }
            digest.update(labels.array());
            update(digest, header.putLong(0, set.numClasses()));
            for (String name : set.classNames()) {
                byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                update(digest, header.putLong(0, bytes.length));
                digest.update(bytes);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of unlabeled images (shape and pixels). */
    public static String of(UnlabeledImages images) {
        MessageDigest digest = sha256();
        digest.update("UnlabeledImages".getBytes(StandardCharsets.UTF_8));
        hashPixels(digest, images.images());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void hashPixels(MessageDigest digest, INDArray images) {
        ByteBuffer shape = ByteBuffer.allocate(8 * images.rank()).order(ByteOrder.BIG_ENDIAN);
        for (long dim : images.shape()) {
            shape.putLong(dim);
        }
        digest.update(shape.array());
        long n = images.size(0);
        if (n == 0) {
            return;
        }
        long perImage = images.length() / n;
        int rowsPerChunk = (int) Math.max(1, CHUNK_FLOATS / Math.max(1, perImage));
        ByteBuffer bytes = null;
        for (long start = 0; start < n; start += rowsPerChunk) {
            long end = Math.min(n, start + rowsPerChunk);
            INDArray chunk = images.get(NDArrayIndex.interval(start, end)).castTo(DataType.FLOAT).dup('c');
            float[] values = chunk.data().asFloat();
            if (bytes == null || bytes.capacity() < 4 * values.length) {
                bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.BIG_ENDIAN);
            }
            bytes.clear();
            for (float v : values) {
                bytes.putInt(Float.floatToIntBits(v));
            }
            digest.update(bytes.array(), 0, bytes.position());
        }
    }

    private static void update(MessageDigest digest, ByteBuffer buffer) {
        digest.update(buffer.array(), 0, buffer.capacity());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
