package io.purifier.format.onnx.proto;

/** The bytes are not a well-formed protocol-buffers message; the message names the problem and the byte offset. */
public final class ProtoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the problem and where it is */
    public ProtoException(String message) {
        super(message);
    }
}
