package io.purifier.bench.workers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The CPU the server uses while it shares this JVM with the simulation's clients: once a second, the process's CPU
 * time minus the CPU time of the client threads (the simulated workers, their HTTP client, the latency probe), as a
 * share of one core. The JVM's own threads (GC, JIT) count as the server's.
 */
final class CpuMeter implements Runnable {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Predicate<String> client;
    private final Map<Long, Long> lastClientCpu = new HashMap<>();
    private final List<Double> coresPerSecond = new ArrayList<>();
    private volatile boolean stop;

    /** @param client which threads (by name) are the simulation's, not the server's */
    CpuMeter(Predicate<String> client) {
        this.client = client;
    }

    @Override
    public void run() {
        long lastProcess = os.getProcessCpuTime();
        clientDelta();
        long lastWall = System.nanoTime();
        while (!stop) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long process = os.getProcessCpuTime();
            long clients = clientDelta();
            long wall = System.nanoTime();
            synchronized (this) {
                coresPerSecond.add(Math.max(0, process - lastProcess - clients) / (double) (wall - lastWall));
            }
            lastProcess = process;
            lastWall = wall;
        }
    }

    /** CPU nanoseconds the client threads used since the last call. */
    private long clientDelta() {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !client.test(info.getThreadName())) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            Long before = lastClientCpu.put(info.getThreadId(), cpu);
            sum += cpu - (before == null ? 0 : before);
        }
        return sum;
    }

    /** Stops measuring. */
    void stop() {
        stop = true;
    }

    /** The server's CPU per second measured so far, in cores (1.0 = one core busy). */
    synchronized List<Double> samples() {
        return List.copyOf(coresPerSecond);
    }
}
