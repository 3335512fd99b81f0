package io.purifier.server.pipeline;

import io.purifier.api.param.ParamProblem;
import io.purifier.server.executor.RunResources;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A pipeline's {@code resources} member as the executor's {@link RunResources}, checked against what the executor can give. */
final class ResourceRequests {

    private ResourceRequests() {
    }

    /** The resources of {@code given} (null: the executor's defaults), with what the executor cannot give as problems. */
    static RunResources resolve(PipelineSpec.Resources given, Function<RunResources, Map<String, String>> refusals,
                                List<ParamProblem> problems) {
        if (given == null) {
            return RunResources.DEFAULTS;
        }
        int cpus = given.cpus() == null ? 0 : given.cpus();
        int memory = given.memoryMegabytes() == null ? 0 : given.memoryMegabytes();
        if (cpus < 0 || memory < 0 || (given.timeLimitMinutes() != null && given.timeLimitMinutes() < 1)) {
            return RunResources.DEFAULTS; // the schema names each out-of-bounds member
        }
        RunResources resources = new RunResources(cpus, memory,
                given.timeLimitMinutes() == null ? null : Duration.ofMinutes(given.timeLimitMinutes()));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("cpus", given.cpus());
        values.put("memoryMegabytes", given.memoryMegabytes());
        values.put("timeLimitMinutes", given.timeLimitMinutes());
        refusals.apply(resources).forEach((member, message) ->
                problems.add(new ParamProblem("resources." + member, values.get(member), message)));
        return resources;
    }
}
