package io.purifier.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.purifier.bench.Machine;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.PassProfile;
import io.purifier.engine.tensor.Parallel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code purifier-bench engine}: throughput of the engine per zoo model, alone or ({@code --compare}) side by side
 * with its PyTorch twin, interleaved in rounds with the same thread count.
 */
public final class EngineBenchCommand {

    /** The help text. */
    public static final String USAGE = """
            Usage: purifier-bench engine [model[:param=value,...] ...] [--batches N] [--compare] [--rounds R]
                                         [--threads T] [--jit-warmup S] [--profile] [--json FILE]

            Training (SGD step, batch 128), inference (batch 256) and input-gradient (batch 128) throughput of zoo
            models on Fashion-MNIST-shaped data, in images per second.
              model[:param=value,...]  zoo models, e.g. preact-resnet18:widthMultiplier=0.5 (default: small-cnn,
                                       vgg-small, preact-resnet18, preact-resnet18:widthMultiplier=0.5)
              --batches N              timed batches per cell after 5 warm-up batches (default 20)
              --compare                also run the PyTorch twin (tools/engine_twin.py, Debian's python3-torch) and
                                       print both throughputs and their ratio per cell (engine / PyTorch)
              --rounds R               with --compare: rounds, engine and PyTorch alternating first (default 3);
                                       each cell reports the median over the rounds
              --threads T              threads for both (default: OMP_NUM_THREADS, else the processor count)
              --jit-warmup S           before the first cell, run the models' three passes untimed for S seconds in
                                       all (each model its share, at least once) so that the JVM has compiled the
                                       engine's Java kernels (default 10; 0: none).
                                       A fresh JVM needs about 80 training steps to reach steady speed; PyTorch's
                                       kernels are compiled ahead of time, so the twin has no such step
              --profile                time per layer type and direction of the engine's passes
              --json FILE              also write the measurements as JSON
            Measure on a quiet machine: the load average is printed with the table.
            """;

    private EngineBenchCommand() {
    }

    /** Runs the benchmark; returns the exit code. */
    public static int run(Path home, List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(args);
        if (o.help()) {
            out.print(USAGE);
            return 0;
        }
        int threads = Parallel.threads();
        String loadBefore = Machine.loadAverage();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threads", threads);
        json.put("batches", o.batches());
        json.put("loadAverageBefore", loadBefore);
        json.put("jitWarmupSeconds", o.jitWarmupSeconds());
        if (o.jitWarmupSeconds() > 0) {
            List<EngineModel> warm = new ArrayList<>();
            for (ModelSpec spec : o.models()) {
                warm.add(EngineThroughput.model(spec));
            }
            long t0 = System.nanoTime();
            int passes = EngineThroughput.warmUpJit(warm, o.jitWarmupSeconds());
            warm.forEach(EngineModel::releaseMemory);
            out.printf(Locale.ROOT, "JIT warm-up: the three passes %d times over %d model(s), untimed, in %.1f s%n",
                    passes, warm.size(), (System.nanoTime() - t0) / 1e9);
        }
        PassProfile.enable(o.profile());
        if (!o.compare()) {
            out.println(engineOnly(o, out, json));
        } else {
            CompareTable table = compare(home, o, threads, json);
            String loadAfter = Machine.loadAverage();
            out.printf(Locale.ROOT, "Engine vs PyTorch %s, %d threads each, %d timed batches per cell, %d rounds "
                            + "(median); load average before %s, after %s%n%n", json.get("torch"), threads, o.batches(),
                    o.rounds(), loadBefore, loadAfter);
            out.print(table.markdown());
            out.printf(Locale.ROOT, "%nlowest ratio: %.2f×%n", table.worstRatio());
            json.put("loadAverageAfter", loadAfter);
            json.put("ratios", table.ratios());
        }
        if (o.profile()) {
            out.println();
            out.print(PassProfile.report());
        }
        if (o.json() != null) {
            Files.writeString(o.json(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        return 0;
    }

    private static String engineOnly(Options o, PrintStream out, Map<String, Object> json) {
        StringBuilder sb = new StringBuilder("| model | params | MFLOP/img fwd | train img/s | train GFLOP/s | infer img/s "
                + "| infer GFLOP/s | input-grad img/s | input-grad GFLOP/s |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> rows = new LinkedHashMap<>();
        for (ModelSpec spec : o.models()) {
            EngineModel model = EngineThroughput.model(spec);
            double flops = EngineThroughput.forwardFlops(model);
            Rates r = EngineThroughput.measure(model, o.batches());
            rows.put(spec.text(), r);
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.0f | %.1f | %.0f | %.1f | %.0f | %.1f |%n",
                    spec.text(), EngineThroughput.parameterCount(model), flops / 1e6, r.train(), r.train() * 3 * flops / 1e9,
                    r.infer(), r.infer() * flops / 1e9, r.inputGrad(), r.inputGrad() * 2 * flops / 1e9));
        }
        json.put("engine", rows);
        sb.append(String.format(Locale.ROOT, "%nload average %s (GFLOP/s: 2 per multiply-add; training 3x, input "
                + "gradient 2x the forward cost)%n", Machine.loadAverage()));
        return sb.toString();
    }

    private static CompareTable compare(Path home, Options o, int threads, Map<String, Object> json) throws Exception {
        TorchTwin twin = new TorchTwin(TorchTwin.locate(home), threads);
        CompareTable table = new CompareTable();
        Map<String, EngineModel> models = new LinkedHashMap<>();
        for (ModelSpec spec : o.models()) {
            models.put(spec.text(), EngineThroughput.model(spec));
        }
        List<Object> rounds = new ArrayList<>();
        for (int round = 0; round < o.rounds(); round++) {
            Map<String, Object> r = new LinkedHashMap<>();
            boolean engineFirst = round % 2 == 0;
            if (!engineFirst) {
                r.put("torch", torchRound(twin, o, table, json));
            }
            Map<String, Rates> e = new LinkedHashMap<>();
            for (Map.Entry<String, EngineModel> m : models.entrySet()) {
                Rates rates = EngineThroughput.measure(m.getValue(), o.batches());
                table.addEngine(m.getKey(), EngineThroughput.parameterCount(m.getValue()), rates);
                e.put(m.getKey(), rates);
            }
            r.put("engine", e);
            if (engineFirst) {
                r.put("torch", torchRound(twin, o, table, json));
            }
            r.put("loadAverage", Machine.loadAverage());
            rounds.add(r);
        }
        json.put("rounds", rounds);
        return table;
    }

    private static Map<String, Rates> torchRound(TorchTwin twin, Options o, CompareTable table, Map<String, Object> json)
            throws Exception {
        TorchTwin.Result t = twin.run(o.models(), o.batches());
        json.put("torch", t.torchVersion());
        t.rates().forEach((model, rates) -> table.addTorch(model, t.params().get(model), rates));
        return t.rates();
    }

    /** The command line. */
    record Options(List<ModelSpec> models, int batches, boolean compare, int rounds, boolean profile, Path json,
                   boolean help, int jitWarmupSeconds) {

        static Options parse(List<String> args) {
            List<ModelSpec> models = new ArrayList<>();
            int batches = 20;
            int rounds = 3;
            int jitWarmup = 10;
            boolean compare = false;
            boolean profile = false;
            boolean help = false;
            Path json = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--help", "-h" -> help = true;
                    case "--compare" -> compare = true;
                    case "--profile" -> profile = true;
                    case "--batches" -> batches = positive(a, value(args, ++i, a));
                    case "--rounds" -> rounds = positive(a, value(args, ++i, a));
                    case "--threads" -> positive(a, value(args, ++i, a));
                    case "--jit-warmup" -> jitWarmup = nonNegative(a, value(args, ++i, a));
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + a + "' (see purifier-bench engine --help)");
                        }
                        models.add(ModelSpec.parse(a));
                    }
                }
            }
            if (models.isEmpty()) {
                ModelSpec.DEFAULTS.forEach(m -> models.add(ModelSpec.parse(m)));
            }
            return new Options(List.copyOf(models), batches, compare, rounds, profile, json, help, jitWarmup);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static int nonNegative(String option, String v) {
            return atLeast(option, v, 0, "a whole number of seconds (0 or more)");
        }

        private static int positive(String option, String v) {
            return atLeast(option, v, 1, "a positive integer");
        }

        private static int atLeast(String option, String v, int min, String what) {
            try {
                int n = Integer.parseInt(v);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs " + what + ", got '" + v + "'");
        }
    }
}
