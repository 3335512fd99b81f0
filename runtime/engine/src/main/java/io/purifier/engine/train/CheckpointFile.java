package io.purifier.engine.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint on disk: one zip holding {@value #STATE_ENTRY} (the {@link CheckpointState} but its image
 * order), {@value #ORDER_ENTRY}, {@value #MODEL_ENTRY} (a {@link NativeModelFile} with every array, batch-norm running
 * statistics included) and {@value #OPTIMIZER_ENTRY}. Written to a temporary file, forced to disk and moved into
 * place, so a reader sees the previous checkpoint or the new one, never a half-written file.
 */
final class CheckpointFile {

    static final String STATE_ENTRY = "checkpoint.json";
    static final String ORDER_ENTRY = "order.bin";
    static final String MODEL_ENTRY = "model.bin";
    static final String OPTIMIZER_ENTRY = "optimizer.bin";
    static final int VERSION = 1;
    /** How old a temporary file must be to count as left behind by a killed writer. */
    static final java.time.Duration ABANDONED = java.time.Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checkpoint read back: its state, the model arrays it holds and the optimizer's serialised state. */
    record Contents(CheckpointState state, EngineModel model, byte[] optimizer) {
    }

    private CheckpointFile() {
    }

    static void write(Path file, CheckpointState state, EngineModel model, Optimizer optimizer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        deleteAbandonedTemporaries(dir, file.getFileName().toString());
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(1);
                entry(zip, STATE_ENTRY, JSON.writeValueAsBytes(stateJson(state)));
                zip.putNextEntry(new ZipEntry(ORDER_ENTRY));
                DataOutputStream order = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
                order.writeInt(state.order().length);
                for (int i : state.order()) {
                    order.writeInt(i);
                }
                order.flush();
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(MODEL_ENTRY));
                NativeModelFile.write(model, zip);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(OPTIMIZER_ENTRY));
                DataOutputStream opt = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
                optimizer.writeState(opt);
                opt.flush();
                zip.closeEntry();
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes temporaries of {@code name} that a process killed while writing left behind (older than
     * {@link #ABANDONED}; a younger one may be another training of the same model writing right now).
     */
    private static void deleteAbandonedTemporaries(Path dir, String name) {
        long cutoff = System.currentTimeMillis() - ABANDONED.toMillis();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("." + name) && n.endsWith(".tmp") && Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // a leftover temporary costs disk space only; the checkpoint itself is written below
        }
    }

    /** Only the state entry (for listings); the arrays are not read. */
    static CheckpointState readState(Path file) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(STATE_ENTRY)) {
                    return parseState(zip.readAllBytes(), new int[0], file);
                }
            }
        }
        throw new IOException(file.getFileName() + " is not a training checkpoint: no " + STATE_ENTRY);
    }

    static Contents read(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        for (String name : List.of(STATE_ENTRY, ORDER_ENTRY, MODEL_ENTRY, OPTIMIZER_ENTRY)) {
            if (!entries.containsKey(name)) {
                throw new IOException(file.getFileName() + " is not a complete training checkpoint: no " + name);
            }
        }
        DataInputStream orderIn = new DataInputStream(new ByteArrayInputStream(entries.get(ORDER_ENTRY)));
        int[] order = new int[orderIn.readInt()];
        for (int i = 0; i < order.length; i++) {
            order[i] = orderIn.readInt();
        }
        CheckpointState state = parseState(entries.get(STATE_ENTRY), order, file);
        EngineModel model = NativeModelFile.read(new ByteArrayInputStream(entries.get(MODEL_ENTRY)), MODEL_ENTRY);
        return new Contents(state, model, entries.get(OPTIMIZER_ENTRY));
    }

    private static Map<String, Object> stateJson(CheckpointState s) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("fingerprint", s.fingerprint());
        m.put("origin", s.origin());
        m.put("config", s.config());
        m.put("trainSize", s.trainSize());
        m.put("epochsDone", s.epochsDone());
        m.put("totalEpochs", s.totalEpochs());
        m.put("savedAt", s.savedAt());
        m.put("random", Base64.getEncoder().encodeToString(s.random()));
        m.put("epochs", s.epochs());
        m.put("probes", s.probes());
        return m;
    }

    private static CheckpointState parseState(byte[] bytes, int[] order, Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() { });
        if (!(m.get("version") instanceof Integer v) || v != VERSION) {
            throw new IOException(file.getFileName() + " is a training checkpoint of version " + m.get("version")
                    + "; this engine reads version " + VERSION);
        }
        List<EpochStats> epochs = JSON.convertValue(m.get("epochs"), new TypeReference<List<EpochStats>>() { });
        List<Map<String, Double>> probes = JSON.convertValue(m.get("probes"),
                new TypeReference<List<Map<String, Double>>>() { });
        return new CheckpointState((String) m.get("fingerprint"), (String) m.get("origin"), (String) m.get("config"),
                ((Number) m.get("trainSize")).intValue(), ((Number) m.get("epochsDone")).intValue(),
                ((Number) m.get("totalEpochs")).intValue(),
                Base64.getDecoder().decode((String) m.get("random")), order, epochs, probes, (String) m.get("savedAt"));
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
