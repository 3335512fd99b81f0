package io.purifier.server.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The main class {@link ChildJvmTest} starts: its first argument picks a behaviour. */
public final class ChildPrograms {

    private ChildPrograms() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "report" -> {
                System.out.println("args=" + String.join(",", List.of(args).subList(1, args.length)));
                System.out.println("omp=" + System.getenv("OMP_NUM_THREADS"));
                System.out.println("secret=" + System.getenv("CHILD_SECRET"));
                System.out.println("maxbytes=" + System.getProperty(ChildJvm.MAX_BYTES));
                System.out.println("maxphysicalbytes=" + System.getProperty(ChildJvm.MAX_PHYSICAL_BYTES));
                System.out.println("heap=" + Runtime.getRuntime().maxMemory());
                System.out.println("extra=" + System.getProperty("child.extra"));
                System.err.println("to stderr");
            }
            case "exit" -> System.exit(Integer.parseInt(args[1]));
            case "hang" -> new CountDownLatch(1).await();
            case "slow-start-then-hang" -> {
                Thread.sleep(Long.parseLong(args[1]));
                System.out.println("READY");
                System.out.flush();
                new CountDownLatch(1).await();
            }
            case "spawn-and-hang" -> {
                Process grandchild = new ProcessBuilder("sleep", "600").start();
                System.out.println("grandchild=" + grandchild.pid());
                System.out.flush();
                new CountDownLatch(1).await();
            }
            case "oom" -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }
            case "kill-self" -> {
                new ProcessBuilder("kill", "-" + args[1], Long.toString(ProcessHandle.current().pid())).start().waitFor();
                new CountDownLatch(1).await();
            }
            case "flood" -> {
                byte[] line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".getBytes();
                for (int i = 0; i < 100_000; i++) {
                    System.out.write(line);
                }
                System.out.flush();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
