package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.param.ParamProblem;
import io.purifier.server.pipeline.PipelineInvalidException;
import io.purifier.server.pipeline.PipelineSchema;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.store.RunRecords.MetricRow;
import io.purifier.server.store.RunRecords.RunDetail;
import io.purifier.server.store.RunRecords.Step;
import io.purifier.server.store.RunStatus;
import io.purifier.server.web.ApiException;
import io.purifier.server.web.JsonBodies;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code purifier run FILE}: runs one pipeline headless (no HTTP), records it in the history, prints its results. */
final class RunCommand {

    private RunCommand() {
    }

    static int run(Path home, List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            out.print(CommandHelp.of("run", args));
            return 2;
        }
        Path file = Path.of(args.get(0));
        boolean asJson = args.contains("--json");
        for (String a : args.subList(1, args.size())) {
            if (!a.equals("--json")) {
                throw new IllegalArgumentException("unknown option '" + a + "' for run");
            }
        }
        ObjectMapper json = PurifierServer.objectMapper();
        try {
            PipelineSpec spec = readPipeline(file, json);
            ServerConfig config = ServerConfig.load(home, Map.of());
            try (PurifierServer server = PurifierServer.start(config, false, Main.trainer())) {
                long runId = server.runs().submit(spec, "cli:" + System.getProperty("user.name", "unknown"));
                return report(server, runId, file, asJson, json, out, err);
            }
        } catch (PipelineInvalidException e) {
            err.println("the pipeline is invalid:");
            for (ParamProblem p : e.problems()) {
                err.println("  " + p);
            }
            return 2;
        }
    }

    /** The pipeline in {@code file}, through the schema check. */
    private static PipelineSpec readPipeline(Path file, ObjectMapper json) throws IOException {
        try {
            return PipelineSchema.read(JsonBodies.parse(Files.readAllBytes(file), json, JsonNode.class));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("pipeline file " + file + " does not exist");
        } catch (ApiException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static int report(PurifierServer server, long runId, Path file, boolean asJson, ObjectMapper json,
                              PrintStream out, PrintStream err) throws Exception {
        out.println("run " + runId + " queued (" + file + ")");
        RunDetail detail = follow(server, runId, out);
        if (asJson) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(detail));
        } else {
            printTable(detail, out);
        }
        if (detail.run().error() != null) {
            err.println("run " + runId + " " + detail.run().status().name().toLowerCase() + ": " + detail.run().error());
        }
        return detail.run().status() == RunStatus.SUCCEEDED ? 0 : 1;
    }

    private static RunDetail follow(PurifierServer server, long runId, PrintStream out) throws InterruptedException, IOException {
        Map<Integer, String> seen = new LinkedHashMap<>();
        while (true) {
            RunDetail d = server.services().runStore().detail(runId).orElseThrow();
            for (Step s : d.steps()) {
                String state = s.status().name() + (s.message() == null ? "" : " " + s.message());
                if (!state.equals(seen.get(s.index())) && s.status() != io.purifier.server.store.StepStatus.PENDING) {
                    seen.put(s.index(), state);
                    out.printf("  step %d %-45s %-9s %3.0f%% %s%n", s.index() + 1, s.title(), s.status(), s.progress() * 100,
                            s.error() != null ? s.error() : s.message() == null ? "" : s.message());
                }
            }
            if (d.run().status().isFinal()) {
                return d;
            }
            Thread.sleep(500);
        }
    }

    /** Prints one row per step and one column per metric value name. */
    static void printTable(RunDetail d, PrintStream out) {
        Set<String> names = new LinkedHashSet<>();
        d.metrics().forEach(m -> names.add(m.name()));
        StringBuilder header = new StringBuilder(String.format("%-5s %-45s", "step", "what"));
        names.forEach(n -> header.append(String.format(" %10s", n)));
        out.println();
        out.println(header);
        for (Step s : d.steps()) {
            StringBuilder row = new StringBuilder(String.format("%-5d %-45s", s.index() + 1, s.title()));
            boolean any = false;
            for (String n : names) {
                MetricRow m = d.metrics().stream().filter(r -> r.stepIndex() == s.index() && r.name().equals(n)).findFirst().orElse(null);
                any |= m != null;
                row.append(m == null ? String.format(" %10s", "") : "fraction".equals(m.unit())
                        ? String.format(" %9.2f%%", m.value() * 100) : String.format(" %10.4g", m.value()));
            }
            if (any) {
                out.println(row);
            }
        }
        out.println("status: " + d.run().status().name().toLowerCase());
    }
}
