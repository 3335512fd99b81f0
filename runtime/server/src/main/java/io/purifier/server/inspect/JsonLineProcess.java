package io.purifier.server.inspect;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The process shape shared by the checks that run in a child JVM: only the result's JSON line goes to standard
 * output; everything the framework and the plugins print is sent to standard error, so the parent can read the
 * line without parsing logs.
 */
final class JsonLineProcess {

    /** A check that prints its JSON line on {@code out} and returns the exit code. */
    @FunctionalInterface
    interface Check {
        int run(Path home, List<String> args, PrintStream out) throws Exception;
    }

    private JsonLineProcess() {
    }

    /**
     * Runs {@code check} with standard output redirected to standard error except for {@code out}.
     *
     * @return the exit code: the check's, 2 for bad usage (printed to standard error), 1 for any other failure
     */
    static int run(Path home, List<String> args, Check check) {
        PrintStream result = System.out;
        System.setOut(System.err);
        try {
            return check.run(home, args, result);
        } catch (IllegalArgumentException e) {
            System.err.println("purifier worker: " + e.getMessage());
            return 2;
        } catch (Throwable t) {
            t.printStackTrace();
            return 1;
        } finally {
            result.flush();
            System.setOut(result);
        }
    }
}
