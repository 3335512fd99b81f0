package io.purifier.server.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link SlurmCommands} through Slurm's command-line tools ({@code sbatch}, {@code squeue}, {@code scancel}) from
 * {@code executor.slurm.binDir} or the {@code PATH}, with {@code SLURM_CONF} from {@code executor.slurm.conf} when it
 * is set. Each call has a time limit of one minute.
 */
public final class SlurmCli implements SlurmCommands {

    private static final long CALL_LIMIT_SECONDS = 60;

    private final SlurmSettings settings;

    /** @param settings where the commands are and which configuration they read */
    public SlurmCli(SlurmSettings settings) {
        this.settings = settings;
    }

    @Override
    public String submit(List<String> options, Path script) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(settings.command("sbatch"), "--parsable"));
        cmd.addAll(options);
        cmd.add(script.toString());
        Result r = call(cmd);
        if (r.code() != 0) {
            throw new IOException("sbatch failed (exit code " + r.code() + "): " + r.errors().strip());
        }
        String id = r.output().strip();
        int semicolon = id.indexOf(';');
        id = semicolon >= 0 ? id.substring(0, semicolon) : id;
        if (!id.matches("[0-9]+(_[0-9]+)?")) {
            throw new IOException("sbatch answered '" + r.output().strip() + "', not a job id");
        }
        return id;
    }

    @Override
    public List<SlurmJob> jobs(Collection<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Result r = call(List.of(settings.command("squeue"), "--noheader", "--states=all", "--jobs=" + String.join(",", ids),
                "--Format=" + SlurmJob.SQUEUE_FORMAT));
        if (r.code() != 0) {
            if (r.errors().contains("Invalid job id")) {
                return List.of();
            }
            throw new IOException("squeue failed (exit code " + r.code() + "): " + r.errors().strip());
        }
        return SlurmJob.parse(r.output());
    }

    @Override
    public void cancel(String id) throws IOException {
        Result r = call(List.of(settings.command("scancel"), id));
        if (r.code() != 0 && !r.errors().contains("already completing or completed") && !r.errors().contains("Invalid job id")) {
            throw new IOException("scancel " + id + " failed (exit code " + r.code() + "): " + r.errors().strip());
        }
    }

    /** What a command printed and returned. */
    private record Result(int code, String output, String errors) {
    }

    private Result call(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (settings.slurmConf() != null) {
            pb.environment().put("SLURM_CONF", settings.slurmConf().toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(CALL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not answer within " + CALL_LIMIT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + cmd.get(0), e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
