package io.purifier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.bench.BenchPlan;
import io.purifier.server.bench.BenchResult;
import io.purifier.server.bench.BenchRunner;
import io.purifier.server.bench.BenchTables;
import io.purifier.server.bench.DefenseSetup;
import io.purifier.server.bench.ServerBench;
import io.purifier.server.osgi.ComponentInfo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code purifier bench server ...}: see {@link ServerBench} ({@code bench server --help}).
 * <p>
 * {@code purifier bench matrix [--quick] [--out DIR]}: runs the attack × defense × model matrix headless through
 * the ordinary run queue (results land in the history; attacked models come from the cache; finished cells are
 * reused), then writes {@code DIR/bench/matrix-<name>.{json,csv,md}} and updates the marked section of
 * {@code DIR/benchmarks.md}.
 */
final class BenchCommand {

    /** The out-of-distribution image source of the {@code <defense>-ood} columns, relative to the installation. */
    static final String OOD_DIRECTORY = "conf/datasets/sklearn-digits";

    private BenchCommand() {
    }

    static int run(Path home, List<String> args, PrintStream out) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("server")) {
            return ServerBench.command(home, args.subList(1, args.size()), out, Main.trainer());
        }
        if (args.isEmpty() || !args.get(0).equals("matrix") || args.contains("--help")) {
            out.println("Usage: purifier bench matrix [--quick] [--out DIR]\n"
                    + "       purifier bench server [--repeats R] [--requests N] [--clients C] [--train-size N] [--out DIR]\n\n"
                    + "Runs models x attacks x (no defense + every installed defense) on Fashion-MNIST with fixed seeds and\n"
                    + "writes Markdown/JSON/CSV tables to DIR (default: docs under the installation). Cells already in the\n"
                    + "history with the same pipeline are reused, so an interrupted matrix resumes. Defenses with a 'variant'\n"
                    + "parameter get a column per variant; unlabeled-data defenses that accept another dataset get an\n"
                    + "'-ood' column fed from " + OOD_DIRECTORY + ". --quick: 6,000 training images, small CNN only,\n"
                    + "2 epochs everywhere.");
            return args.contains("--help") ? 0 : 2;
        }
        boolean quick = args.contains("--quick");
        Path outDir = home.resolve("docs");
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--quick" -> { }
                case "--out" -> outDir = Path.of(Main.value(args, ++i, "--out"));
                default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "' for bench matrix");
            }
        }
        ObjectMapper json = PurifierServer.objectMapper();
        try (PurifierServer server = PurifierServer.start(ServerConfig.load(home, Map.of()), false, Main.trainer())) {
            List<ComponentInfo> defenses = server.registry().list(PluginKind.DEFENSE);
            Map<String, DataContract> contracts = new LinkedHashMap<>();
            Map<String, ParamDescriptor> params = new LinkedHashMap<>();
            for (ComponentInfo d : defenses) {
                contracts.put(d.id(), d.dataContract());
                params.put(d.id(), ParamDescriptor.of(d.parameters()));
            }
            Path oodDirectory = home.resolve(OOD_DIRECTORY);
            List<DefenseSetup> columns = new ArrayList<>();
            for (ComponentInfo d : defenses) {
                columns.addAll(DefenseSetup.columnsOf(d.id(), params.get(d.id()), contracts.get(d.id()), oodDirectory));
            }
            BenchPlan plan = quick ? BenchPlan.quick(columns) : BenchPlan.full(columns);
            out.println("benchmark matrix '" + plan.name() + "': " + plan.cells().size() + " cells; defense columns "
                    + columns.stream().map(DefenseSetup::label).toList());
            String loadAtStart = ServerBench.loadAverage();
            long start = System.nanoTime();
            List<BenchResult> results = BenchRunner.of(server.services().runStore(), server.runs(), "bench",
                            Main.trainer().version(), json, out)
                    .run(plan.cells(), cell -> plan.pipeline(json, cell, contracts, params));
            double minutes = (System.nanoTime() - start) / 60e9;
            String markdown = BenchTables.markdown(results);
            Map<String, Object> setting = plan.describe();
            setting.put("finishedAt", Instant.now().toString());
            setting.put("wallMinutes", Math.round(minutes * 10) / 10.0);
            setting.put("cpus", Runtime.getRuntime().availableProcessors());
            setting.put("loadAverageAtStart", loadAtStart);
            setting.put("loadAverageAtEnd", ServerBench.loadAverage());
            long reused = results.stream().filter(BenchResult::reused).count();
            setting.put("cellsReusedFromHistory", reused);
            Path benchDir = Files.createDirectories(outDir.resolve("bench"));
            Files.writeString(benchDir.resolve("matrix-" + plan.name() + ".md"), markdown);
            Files.writeString(benchDir.resolve("matrix-" + plan.name() + ".csv"), BenchTables.csv(results));
            json.writerWithDefaultPrettyPrinter().writeValue(benchDir.resolve("matrix-" + plan.name() + ".json").toFile(),
                    BenchTables.json(json, setting, results));
            Path doc = outDir.resolve("benchmarks.md");
            String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
            String section = String.format("Matrix `%s`, finished %s in %.1f min with %d of %d cells taken from the "
                            + "history; load average (1/5/15 min) %s at the start, %s at the end (setting: %s).%n%n%s",
                    plan.name(), setting.get("finishedAt"), minutes, reused, results.size(), loadAtStart,
                    setting.get("loadAverageAtEnd"), json.writeValueAsString(plan.describe()), markdown);
            Files.writeString(doc, BenchTables.replaceSection(existing, "matrix-" + plan.name(), section));
            out.println();
            out.print(markdown);
            out.printf("wrote %s and %s (%.1f min)%n", benchDir, doc, minutes);
            return results.stream().allMatch(BenchResult::ok) ? 0 : 1;
        }
    }
}
