package io.purifier.server.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildJvmTest {

    @TempDir
    Path dir;

    private ChildJvm.Builder child(String... args) {
        return ChildJvm.forMainClass(ChildPrograms.class.getName(), dir).args(List.of(args))
                .heapBytes(64L << 20).offHeapBytes(32L << 20).directory(dir.resolve("work"));
    }

    @Test
    void passes_arguments_limits_threads_and_environment_and_captures_both_streams() throws Exception {
        ChildResult r = child("report", "a b", "c").ompThreads(3).environment("CHILD_SECRET", "s3cret")
                .systemProperty("child.extra", "x=1").build().run();
        assertTrue(r.succeeded(), r.toString());
        assertTrue(r.stdout().contains("args=a b,c"), r.stdout());
        assertTrue(r.stdout().contains("omp=3"));
        assertTrue(r.stdout().contains("secret=s3cret"));
        assertTrue(r.stdout().contains("maxbytes=" + (32L << 20)));
        assertTrue(r.stdout().contains("maxphysicalbytes=" + ((64L << 20) + (32L << 20) + (512L << 20))));
        assertTrue(r.stdout().contains("extra=x=1"));
        long heap = Long.parseLong(r.stdout().lines().filter(l -> l.startsWith("heap=")).findFirst().orElseThrow().substring(5));
        assertTrue(heap <= 64L << 20, "heap " + heap);
        assertEquals("to stderr\n", r.stderr());
        assertEquals("exited normally", r.describe());
    }

    @Test
    void the_command_line_keeps_credentials_out_and_names_every_cap() {
        List<String> cmd = child("report").environment("CHILD_SECRET", "s3cret").build().command();
        assertFalse(String.join(" ", cmd).contains("s3cret"));
        assertTrue(cmd.contains("-Xmx" + (64L << 20)));
        assertTrue(cmd.contains("-XX:+ExitOnOutOfMemoryError"));
        assertTrue(cmd.contains("-XX:-CreateCoredumpOnCrash"));
        assertEquals(ChildPrograms.class.getName(), cmd.get(cmd.indexOf("-cp") + 2));
    }

    @Test
    void reports_the_exit_code() throws Exception {
        ChildResult r = child("exit", "7").build().run();
        assertFalse(r.succeeded());
        assertEquals(7, r.exitCode());
        assertEquals(0, r.signal());
        assertEquals("exited with code 7", r.describe());
    }

    @Test
    void a_child_past_its_time_limit_is_destroyed_with_its_descendants() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        ChildResult r = child("spawn-and-hang").timeout(Duration.ofSeconds(3)).onStdoutLine(lines::add).build().run();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(r.timedOut());
        assertTrue(seconds < 10, "took " + seconds + " s");
        assertEquals("ran past its time limit of 3 s and was stopped", r.describe());
        long grandchild = Long.parseLong(lines.stream().filter(l -> l.startsWith("grandchild=")).findFirst().orElseThrow()
                .substring("grandchild=".length()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "the grandchild still runs");
    }

    @Test
    void with_a_ready_line_the_limit_counts_from_it_and_start_up_has_its_own_limit() throws Exception {
        ChildResult slow = child("slow-start-then-hang", "2000").timeout(Duration.ofSeconds(1))
                .readyWhen("READY", Duration.ofSeconds(60)).build().run();
        assertTrue(slow.timedOut());
        assertFalse(slow.beforeReady());
        assertTrue(slow.elapsed().toMillis() >= 3000, "the limit counted from the start: " + slow.elapsed());
        assertEquals("ran past its time limit of 1 s and was stopped", slow.describe());
        ChildResult never = child("hang").timeout(Duration.ofMinutes(5)).readyWhen("READY", Duration.ofSeconds(2)).build().run();
        assertTrue(never.timedOut() && never.beforeReady());
        assertEquals("did not start up within 2 s and was stopped", never.describe());
    }

    @Test
    void running_out_of_heap_is_reported_as_such() throws Exception {
        ChildResult r = child("oom").build().run();
        assertFalse(r.succeeded());
        assertTrue(r.outOfMemory(), r.toString());
        assertEquals("ran out of memory", r.describe());
    }

    @Test
    void a_signal_is_reported_with_its_name() throws Exception {
        ChildResult r = child("kill-self", "KILL").build().run();
        assertEquals(9, r.signal());
        assertEquals("crashed (killed by signal 9, SIGKILL)", r.describe());
    }

    @Test
    void a_native_fault_is_reported_as_a_crash_and_its_report_stays_in_the_working_directory() throws Exception {
        ChildResult r = child("kill-self", "SEGV").build().run();
        assertTrue(r.crashed(), r.toString());
        assertTrue(r.describe().startsWith("crashed (SIGSEGV in native code"), r.describe());
        try (var files = Files.list(dir.resolve("work"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("hs_err_pid")));
        }
    }

    @Test
    void output_beyond_the_cap_is_dropped_without_blocking_the_child() throws Exception {
        ChildResult r = child("flood").outputCap(10_000).build().run();
        assertTrue(r.succeeded(), r.describe());
        assertEquals(10_000, r.stdout().length());
        assertTrue(r.outputTruncated());
    }

    @Test
    void a_child_can_be_stopped_early() throws Exception {
        ChildProcess p = child("hang").timeout(Duration.ofMinutes(5)).build().start();
        assertTrue(p.isAlive());
        assertTrue(p.stop(Duration.ofSeconds(10)));
        ChildResult r = p.await();
        assertFalse(r.timedOut());
        assertEquals(15, r.signal());
    }

    @Test
    void bad_settings_are_refused_with_their_name() {
        List<IllegalArgumentException> errors = new ArrayList<>();
        errors.add(assertThrows(IllegalArgumentException.class, () -> child("report").heapBytes(0)));
        errors.add(assertThrows(IllegalArgumentException.class, () -> child("report").timeout(Duration.ZERO)));
        errors.add(assertThrows(IllegalArgumentException.class, () -> child("report").jvmOption("Xmx1g")));
        assertTrue(errors.get(0).getMessage().contains("heapBytes"));
        assertTrue(errors.get(1).getMessage().contains("timeout"));
        assertTrue(errors.get(2).getMessage().contains("JVM option"));
    }

    @Test
    void the_class_path_is_the_installations_lib_when_it_has_jars() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/lib"));
        assertEquals(System.getProperty("java.class.path"), ChildJvm.classPathOf(dir.resolve("home")));
        Files.writeString(home.resolve("a.jar"), "");
        assertEquals(home.toAbsolutePath() + "/*", ChildJvm.classPathOf(dir.resolve("home")));
    }
}
