package io.purifier.server.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Drains one output stream of a child process on its own thread: keeps the first {@code cap} bytes, reads and
 * drops the rest (so the child never blocks on a full pipe), and optionally hands every complete line to a
 * listener.
 */
final class BoundedOutput {

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int cap;
    private final Consumer<String> lines;
    private final Thread reader;
    private boolean truncated;

    private BoundedOutput(InputStream in, int cap, Consumer<String> lines, String threadName) {
        this.cap = cap;
        this.lines = lines;
        this.reader = new Thread(() -> drain(in), threadName);
        this.reader.setDaemon(true);
    }

    /** Starts draining {@code in}; {@code lines} may be null. */
    static BoundedOutput start(InputStream in, int cap, Consumer<String> lines, String threadName) {
        BoundedOutput out = new BoundedOutput(in, cap, lines, threadName);
        out.reader.start();
        return out;
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                keep(buffer, n);
                if (lines != null) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            emit(line);
                        } else if (line.size() < cap) {
                            line.write(buffer[i]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process ended or was destroyed: what was read so far is kept
        }
        if (lines != null && line.size() > 0) {
            emit(line);
        }
    }

    private synchronized void keep(byte[] buffer, int n) {
        int room = cap - kept.size();
        if (room >= n) {
            kept.write(buffer, 0, n);
        } else {
            kept.write(buffer, 0, Math.max(room, 0));
            truncated = true;
        }
    }

    private void emit(ByteArrayOutputStream line) {
        try {
            lines.accept(line.toString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // a failing listener must not stop the draining (the child would block on a full pipe)
        }
        line.reset();
    }

    /** Waits up to {@code millis} for the stream to end (it ends when the process and its descendants close it). */
    void await(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** The kept bytes as UTF-8. */
    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }

    /** Whether more than the cap was produced. */
    synchronized boolean truncated() {
        return truncated;
    }
}
