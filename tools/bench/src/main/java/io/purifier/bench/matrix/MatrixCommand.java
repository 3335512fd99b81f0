package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.bench.EmbeddedServer;
import io.purifier.bench.Machine;
import io.purifier.server.EngineModelTrainer;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.ModelTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code purifier-bench matrix [--profile full|quick|paper|paper-check] [--quick] [--seeds N] [--robustness] [--models m]
 * [--attacks a,b] [--defenses x,y] [--parallel N] [--out DIR]}: runs models × every installed attack × (no defense +
 * every installed defense and its variants) through the ordinary run queue of a server of this installation (results
 * land in the history; attacked models come from the cache; finished cells are reused), then writes
 * {@code DIR/bench/matrix-<name>.{json,csv,md}} and the marked section of {@code DIR/benchmarks.md} with every cell of
 * the plan found in the history (so a plan run in parts keeps the tables of its other parts).
 *
 * <p>It stays one file (about 320 lines, half of them the help text and option parsing) because every option it parses
 * is read only by {@link #run}, which wires them to the parts that do the work and live in their own classes: the
 * plan ({@link BenchPlan}), the cells to run ({@link CellFilter}), the runner ({@link BenchRunner}), the earlier
 * record ({@link MatrixRecord}) and the files ({@link MatrixReport}). Splitting the parsing out would add a type that
 * only this command uses.
 */
public final class MatrixCommand {

    /** The out-of-distribution image source of the {@code <defense>-ood} columns, relative to the installation. */
    public static final String OOD_DIRECTORY = "conf/datasets/sklearn-digits";

    /** The command's help text. */
    public static final String USAGE = """
            Usage: purifier-bench matrix [--profile full|quick|paper|paper-check] [--quick] [--seeds N] [--robustness]
                                         [--models m] [--attacks a,b] [--defenses x,y] [--parallel N] [--out DIR]

            Runs models x attacks x (no defense + every installed defense) on Fashion-MNIST with fixed seeds and writes
            Markdown/JSON/CSV tables to DIR (default: docs under the installation). The rows are every attack and the
            columns every defense the server lists (GET /api/components); a defense parameter marked as a variant of
            the method gets a column per other choice, and unlabeled-data defenses that accept another dataset get an
            '-ood' column fed from %s. Cells already in the history with the same pipeline and trainer are
            reused, so an interrupted matrix resumes; so are cells of the earlier report in DIR (its JSON keeps each
            cell's pipeline fingerprint), so a matrix continues from its committed report on a new installation (the
            undefended cells it runs are trained again: the defense cells start from those models). The tables show
            every cell of the profile found, also those another part ran. Cells are submitted in parallel through the
            server's executor (executor= in conf/purifier.properties): with 'slurm' each cell is a job and the matrix
            takes about the time of its slowest cell; with 'local' the executor.local.slots stay busy.
              --profile P    full (default): small CNN 30,000 images 10 epochs, PreAct-ResNet-18 w1/8 6,000 images
                             2 epochs with defenses capped at 2 epochs (about 90 min on 2 cores)
                             quick: 6,000 training images, the small CNN only, 2 epochs everywhere (ANP: 200 iterations)
                             paper: the papers' setting: PreAct-ResNet-18 w0.5 on all 60,000 / 10,000 images trained
                             with BackdoorBench's recipe (SGD 0.01, 100 epochs), every defense at its reference
                             schedule (NPD 50 epochs, BCU 100, ...); undefended models below 92 %% clean accuracy are
                             flagged. Days on 2 cores: the intended run is '--profile paper --seeds 3', in parts
                             (--attacks, --defenses) and resumed (docs/benchmarks.md, "Paper profile")
                             paper-check: the paper profile with 1 epoch everywhere (attacked models and every
                             defense schedule, ANP 100 iterations): checks in about 1.5 h per attack that every
                             cell runs here, and times one epoch of each (use --attacks badnets)
              --quick        the same as --profile quick
              --seeds N      run every cell with N seeds (the plan's seed, +1, ...; runs after the first are named
                             '... seed S'); cells show mean ± sd over the seeds and N (default 1). A part with fewer
                             seeds than the earlier report in DIR runs its own and still reports the report's others
              --robustness   measure post-purification robustness in every cell (the retuning attack, pipeline member
                             robustness.retune with its defaults): adds P-ASR next to ASR (default off, so that
                             matrices run before it existed resume from the history)
              --models m     run only these models' cells (the profile's model labels, e.g.
                             preact-resnet18-w0.125); the others are taken from the history or the record
              --attacks a,b  run only these attacks' cells (installed attack ids); the others are taken from the
                             history or the record where they are there
              --defenses x,y run only these defense columns (defense ids, or column labels such as wiper-corrected);
                             the undefended column of the selected attacks always runs ('none' alone: only it,
                             i.e. train the attacked models first)
              --parallel N   cells queued or running at once (default: the executor's slots + 1)
              --out DIR      output directory
            """.formatted(OOD_DIRECTORY);

    private MatrixCommand() {
    }

    /**
     * The command's options.
     *
     * @param profile    the plan's profile (one of {@link BenchPlan#PROFILES})
     * @param seeds      seeds per cell
     * @param robustness whether every cell measures P-ASR
     * @param filter     which cells this invocation runs
     * @param parallel   cells in flight (0 = the executor's slots + 1)
     * @param outDir     output directory, or null for the installation's docs
     */
    record Options(String profile, int seeds, boolean robustness, CellFilter filter, int parallel, Path outDir) {

        /**
         * Parses the arguments (without {@code --help}).
         *
         * @throws IllegalArgumentException naming the option and what is wrong with it
         */
        static Options parse(List<String> args) {
            String profile = null;
            boolean quick = false;
            int parallel = 0;
            boolean robustness = false;
            int seeds = 1;
            Set<String> attacks = Set.of();
            Set<String> defenses = Set.of();
            Set<String> models = Set.of();
            Path outDir = null;
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                switch (option) {
                    case "--quick" -> quick = true;
                    case "--profile" -> {
                        if (profile != null) {
                            throw new IllegalArgumentException("--profile is given twice");
                        }
                        if (++i >= args.size()) {
                            throw new IllegalArgumentException("--profile needs one of " + String.join(", ", BenchPlan.PROFILES));
                        }
                        profile = args.get(i);
                        if (!BenchPlan.PROFILES.contains(profile)) {
                            throw new IllegalArgumentException(BenchPlan.unknownProfile(profile));
                        }
                    }
                    case "--parallel" -> {
                        if (++i >= args.size() || !args.get(i).matches("[1-9][0-9]{0,4}")) {
                            throw new IllegalArgumentException("--parallel needs a number of cells from 1 to 99999");
                        }
                        parallel = Integer.parseInt(args.get(i));
                    }
                    case "--robustness" -> robustness = true;
                    case "--seeds" -> seeds = MatrixCommand.seeds(++i < args.size() ? args.get(i) : null);
                    case "--attacks" -> attacks = CellFilter.list(option, ++i < args.size() ? args.get(i) : null);
                    case "--defenses" -> defenses = CellFilter.list(option, ++i < args.size() ? args.get(i) : null);
                    case "--models" -> models = CellFilter.list(option, ++i < args.size() ? args.get(i) : null);
                    case "--out" -> {
                        if (++i >= args.size()) {
                            throw new IllegalArgumentException("--out needs a directory");
                        }
                        outDir = Path.of(args.get(i));
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + option + "' for matrix (see --help)");
                }
            }
            if (quick && profile != null) {
                throw new IllegalArgumentException("--quick is the same as --profile quick; give one of them, not both "
                        + "(profiles: " + String.join(", ", BenchPlan.PROFILES) + ")");
            }
            String chosen = quick ? "quick" : profile == null ? BenchPlan.PROFILES.get(0) : profile;
            return new Options(chosen, seeds, robustness, new CellFilter(attacks, defenses, models), parallel, outDir);
        }
    }

    /** Runs the command; returns 0 when every cell succeeded, 1 otherwise. */
    public static int run(Path home, List<String> args, PrintStream out) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Options options = Options.parse(args);
        Path outDir = options.outDir() == null ? home.resolve("docs") : options.outDir();
        ModelTrainer trainer = EngineModelTrainer.create();
        PlanChoice choice = (attacks, columns) -> BenchPlan.of(options.profile(), attacks, columns)
                .withSeeds(options.seeds()).withRobustness(options.robustness());
        try (EmbeddedServer server = EmbeddedServer.start(home, Map.of(), trainer, Role.RESEARCHER, Duration.ofSeconds(60))) {
            var executor = server.config().executor();
            int slots = "slurm".equals(executor.kind()) ? executor.slurm().maxJobs() : executor.localSlots();
            return run(server, trainer.version(), home, choice, options.filter(), outDir,
                    options.parallel() > 0 ? options.parallel() : slots + 1, out);
        }
    }

    /** The value of {@code --seeds}: a whole number from 1 to 100. */
    static int seeds(String value) {
        if (value == null) {
            throw new IllegalArgumentException("--seeds needs a number of seeds (1 to 100)");
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--seeds takes a whole number from 1 to 100, not '" + value + "'");
    }

    /** Which plan to run over the installed attacks and the defense columns. */
    @FunctionalInterface
    interface PlanChoice {
        BenchPlan plan(List<String> attacks, List<DefenseSetup> columns);
    }

    /** Runs every cell of the plan {@code choice} makes; see {@link #run(EmbeddedServer, String, Path, PlanChoice, CellFilter, Path, int, PrintStream)}. */
    static int run(EmbeddedServer server, String trainerVersion, Path home, PlanChoice choice, Path outDir,
                   int inFlight, PrintStream out) throws Exception {
        return run(server, trainerVersion, home, choice, CellFilter.ALL, outDir, inFlight, out);
    }

    /**
     * Runs the cells {@code filter} selects of the plan {@code choice} makes over what {@code server} has installed,
     * takes the plan's other cells from the history where they are there, and writes the reports (every cell found)
     * under {@code outDir}.
     *
     * @throws IllegalArgumentException when the filter names an attack or defense the server does not have
     */
    static int run(EmbeddedServer server, String trainerVersion, Path home, PlanChoice choice, CellFilter filter,
                   Path outDir, int inFlight, PrintStream out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        InstalledComponents installed = InstalledComponents.read(server.api());
        Path ood = installed.datasets().contains(DefenseSetup.OOD_DATASET) ? home.resolve(OOD_DIRECTORY) : null;
        List<DefenseSetup> columns = new ArrayList<>();
        installed.defenses().forEach(d -> columns.addAll(DefenseSetup.columnsOf(d, ood)));
        filter.check(installed.attacks(), columns);
        BenchPlan asked = choice.plan(installed.attacks(), columns);
        filter.checkModels(asked.models().stream().map(BenchPlan.ModelRecipe::label).toList());
        installed.check(asked);
        MatrixReport report = new MatrixReport(outDir, asked.name(), json);
        JsonNode previous = report.previous();
        MatrixRecord record = MatrixRecord.read(previous);
        BenchPlan plan = reported(asked, record);
        Predicate<BenchCell> runs = c -> c.seedIndex() < asked.seeds() && filter.runs(c, plan.defenses());
        List<BenchCell> cells = plan.cells();
        long selected = cells.stream().filter(runs).count();
        out.println("benchmark matrix '" + plan.name() + "': " + cells.size() + " cells; attacks " + plan.attacks()
                + "; defense columns " + columns.stream().map(DefenseSetup::label).toList()
                + (filter.isAll() && plan == asked ? "" : "; this part runs " + selected + " of them (models "
                + (filter.models().isEmpty() ? "all" : new TreeSet<>(filter.models())) + ", attacks "
                + (filter.attacks().isEmpty() ? "all" : new TreeSet<>(filter.attacks())) + ", defenses "
                + (filter.defenses().isEmpty() ? "all" : new TreeSet<>(filter.defenses()))
                + (plan == asked ? "" : ", " + seedRange(asked))
                + "), the others come from the history or the earlier report where they are there"));
        if (plan != asked) {
            out.println("the earlier report has cells of " + seedRange(plan) + ": this part runs "
                    + seedRange(asked) + " (--seeds " + asked.seeds() + ") and reports " + seedRange(plan)
                    + ", the others where they are found, so that no seed an earlier part ran drops out of the report");
        }
        Map<String, InstalledDefense> defenses = installed.defenses().stream()
                .collect(Collectors.toMap(InstalledDefense::id, Function.identity()));
        Map<String, Object> setting = plan.describe();
        if (plan != asked) {
            setting.put("seedsRun", asked.seeds());
        }
        setting.put("cpus", Runtime.getRuntime().availableProcessors());
        String loadAtStart = Machine.loadAverage();
        setting.put("loadAverageAtStart", loadAtStart);
        setting.put("executor", server.config().executor().kind());
        setting.put("cellsInFlight", inFlight);
        long start = System.nanoTime();
        if (record.size() > 0) {
            out.println("the earlier report " + report.jsonFile() + " has " + record.size() + " fingerprinted cells; those"
                    + " this history lacks are taken from it when their pipeline and trainer version are the same");
        }
        BenchRunner runner = new BenchRunner(new HttpRuns(server.api()), trainerVersion, MatrixTables.peaks(previous), record,
                HistoryForm.of(home, server.config().dataDir()), Machine::treeRssKb, json, out, inFlight);
        List<BenchResult> results = runner.run(cells, runs,
                cell -> plan.pipeline(json, cell, defenses), partial -> writePartial(report, setting, partial));
        double minutes = (System.nanoTime() - start) / 60e9;
        Map<String, Object> finished = new LinkedHashMap<>(setting);
        finished.put("finishedAt", Instant.now().toString());
        finished.put("wallMinutes", Math.round(minutes * 10) / 10.0);
        finished.put("loadAverageAtEnd", Machine.loadAverage());
        long reused = results.stream().filter(BenchResult::reused).count();
        finished.put("cellsReusedFromHistory", reused);
        finished.put("cellsOfThePlan", cells.size());
        if (!filter.isAll()) {
            finished.put("part", Map.of("models", new TreeSet<>(filter.models()), "attacks", new TreeSet<>(filter.attacks()),
                    "defenses", new TreeSet<>(filter.defenses())));
        }
        String summary = String.format("Matrix `%s`, finished %s in %.1f min with %d of %d cells taken from the "
                        + "history%s; load average (1/5/15 min) %s at the start, %s at the end (setting: %s).",
                plan.name(), finished.get("finishedAt"), minutes, reused, results.size(),
                results.size() == cells.size() ? "" : " (" + results.size() + " of the plan's " + cells.size()
                        + " cells have a result so far)", loadAtStart,
                finished.get("loadAverageAtEnd"), json.writeValueAsString(plan.describe()));
        report.writeAll(finished, results, summary, plan.minCleanAccuracy());
        out.println();
        out.print(MatrixTables.markdown(results, plan.minCleanAccuracy()));
        out.printf("wrote %s (%.1f min)%n", report.where(), minutes);
        return results.stream().allMatch(BenchResult::ok) ? 0 : 1;
    }

    /**
     * The plan whose cells a part reports: {@code asked}, or {@code asked} with as many seeds as the earlier report's
     * cells span when that is more. A part run with fewer seeds than an earlier one (the baselines with {@code --seeds
     * 1} after the seed defenses with {@code --seeds 3}) then runs only its own seeds but keeps the others' results in
     * the report it rewrites, instead of dropping them from the committed record.
     */
    static BenchPlan reported(BenchPlan asked, MatrixRecord record) {
        return record.seeds() > asked.seeds() ? asked.withSeeds(record.seeds()) : asked;
    }

    /** The seeds of a plan's cells in words, e.g. {@code seeds 1-3} or {@code seed 1}. */
    private static String seedRange(BenchPlan plan) {
        long last = plan.seed() + plan.seeds() - 1;
        return plan.seeds() == 1 ? "seed " + plan.seed() : "seeds " + plan.seed() + "-" + last;
    }

    private static void writePartial(MatrixReport report, Map<String, Object> setting, List<BenchResult> results) {
        try {
            report.writeJson(setting, results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the partial matrix report", e);
        }
    }
}
