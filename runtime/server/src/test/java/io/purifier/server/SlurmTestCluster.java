package io.purifier.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Slurm cluster on this machine for the Slurm ITs: Debian's {@code munge} and {@code slurm-wlm}
 * ({@code munged}, {@code slurmctld}, {@code slurmd}) started as root in a temporary directory with their own key,
 * ports, state and logs, and stopped again. The node has this machine's CPUs, each shared by up to four jobs
 * ({@code OverSubscribe=FORCE:4}), so at least four runs execute at once even on one core. {@code ./purifier test
 * --cluster} installs the packages.
 */
public final class SlurmTestCluster implements AutoCloseable {

    private final Path dir;
    private final Path conf;
    private final String node;
    private final List<Path> pidFiles = new ArrayList<>();

    private SlurmTestCluster(Path dir, Path conf, String node) {
        this.dir = dir;
        this.conf = conf;
        this.node = node;
    }

    /** Starts the cluster in {@code dir} and waits until its node is idle. */
    public static SlurmTestCluster start(Path dir) throws Exception {
        for (String daemon : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd")) {
            if (!Files.isExecutable(Path.of(daemon))) {
                throw new IllegalStateException(daemon + " is missing: the Slurm ITs need Debian's munge and slurm-wlm "
                        + "(./purifier test --cluster installs them)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the Slurm test cluster runs its daemons as root (as the CI does)");
        }
        Files.createDirectories(dir);
        String node = run(dir, List.of("hostname", "-s")).strip();
        Path munge = Files.createDirectories(dir.resolve("munge"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path key = munge.resolve("munge.key");
        byte[] secret = new byte[1024];
        new SecureRandom().nextBytes(secret);
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Path socket = munge.resolve("munge.socket");
        Path conf = dir.resolve("slurm.conf");
        SlurmTestCluster cluster = new SlurmTestCluster(dir, conf, node);
        try {
            cluster.pidFiles.add(munge.resolve("munged.pid"));
            run(dir, List.of("/usr/sbin/munged", "--key-file=" + key, "--socket=" + socket, "--pid-file=" + munge.resolve("munged.pid"),
                    "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed"), "--force"));
            Files.writeString(conf, config(dir, node, socket));
            Files.createDirectories(dir.resolve("state"));
            Files.createDirectories(dir.resolve("spool"));
            cluster.pidFiles.add(dir.resolve("slurmctld.pid"));
            run(dir, List.of("/usr/sbin/slurmctld", "-f", conf.toString(), "-i"));
            cluster.pidFiles.add(dir.resolve("slurmd.pid"));
            run(dir, List.of("/usr/sbin/slurmd", "-f", conf.toString()));
            TestBundles.await("the Slurm node to be idle", 60_000, () -> cluster.nodeState().startsWith("idle"));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static String config(Path dir, String node, Path socket) throws IOException {
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.join("\n",
                "ClusterName=purifier-it",
                "SlurmctldHost=" + node + "(127.0.0.1)",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "SchedulerType=sched/backfill",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                "MpiDefault=none",
                "ReturnToService=2",
                "KillWait=5",
                "MinJobAge=600",
                "NodeName=" + node + " NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=2048 State=UNKNOWN",
                "PartitionName=it Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4",
                "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The cluster's {@code slurm.conf} ({@code SLURM_CONF} of its commands, {@code executor.slurm.conf}). */
    public Path conf() {
        return conf;
    }

    /** The server settings that make runs go to this cluster. */
    public Map<String, String> serverSettings() {
        return Map.of("executor", "slurm", "executor.slurm.conf", conf.toString(), "executor.slurm.pollSeconds", "1",
                "executor.slurm.cpus", "1", "executor.slurm.memoryMegabytes", "512");
    }

    /** The node's state as {@code sinfo} gives it ({@code idle}, {@code mixed}, {@code drained}, ...). */
    public String nodeState() {
        try {
            return slurm("sinfo", "--noheader", "--format=%T").strip();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Runs the Slurm command {@code args} against this cluster and returns its output; fails on a non-zero exit. */
    public String slurm(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Drains the node: new jobs stay pending until {@link #resume}. */
    public void drain() throws Exception {
        slurm("scontrol", "update", "NodeName=" + node, "State=DRAIN", "Reason=purifier-it");
    }

    /** Makes a drained node take jobs again. */
    public void resume() throws Exception {
        slurm("scontrol", "update", "NodeName=" + node, "State=RESUME");
    }

    private static String run(Path dir, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** Cancels every job left, then stops the daemons (slurmd, slurmctld, munged) and waits until they are gone. */
    @Override
    public void close() {
        try {
            slurm("scancel", "--partition=it");
            TestBundles.await("the cluster's jobs to end", 30_000, () -> {
                try {
                    return slurm("squeue", "--noheader").isBlank();
                } catch (Exception e) {
                    return true;
                }
            });
        } catch (Exception | AssertionError e) {
            System.err.println("could not cancel the test cluster's jobs: " + e);
        }
        for (int i = pidFiles.size() - 1; i >= 0; i--) {
            Path pidFile = pidFiles.get(i);
            try {
                if (!Files.exists(pidFile)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            } catch (IOException | NumberFormatException e) {
                System.err.println("could not stop the daemon of " + pidFile + ": " + e);
            }
        }
    }

    /** The cluster's directory (logs: slurmctld.log, slurmd.log). */
    public Path dir() {
        return dir;
    }
}
