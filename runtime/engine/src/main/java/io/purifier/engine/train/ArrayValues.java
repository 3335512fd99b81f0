package io.purifier.engine.train;

import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The values of an array in a checkpoint stream: data type, length, then the values in C order, bit for bit. */
final class ArrayValues {

    private ArrayValues() {
    }

    static void write(INDArray array, DataOutputStream out) throws IOException {
        boolean dbl = array.dataType() == DataType.DOUBLE;
        Buf b = Buf.of(Tensors.dense(array, dbl ? DataType.DOUBLE : DataType.FLOAT));
        out.writeBoolean(dbl);
        out.writeInt(b.length());
        for (int i = 0; i < b.length(); i++) {
            if (dbl) {
                out.writeDouble(b.get(i));
            } else {
                out.writeFloat((float) b.get(i));
            }
        }
    }

    /**
     * Reads values written by {@link #write} into {@code target}, which must be dense and of the same length and data
     * type.
     */
    static void read(DataInputStream in, INDArray target, String name) throws IOException {
        boolean dbl = in.readBoolean();
        int length = in.readInt();
        if (dbl != (target.dataType() == DataType.DOUBLE) || length != target.length()) {
            throw new IOException("the stored values of '" + name + "' are " + length + (dbl ? " doubles" : " floats")
                    + ", the array has " + target.length() + " " + target.dataType());
        }
        Buf b = Buf.of(target);
        for (int i = 0; i < length; i++) {
            b.set(i, dbl ? in.readDouble() : in.readFloat());
        }
    }
}
