package io.purifier.server.pipeline;

import io.purifier.api.InvalidInputException;
import io.purifier.api.param.ParamProblem;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline cannot run; every problem names its place in the pipeline JSON (e.g. {@code defenses[0].params.epochs}). */
public class PipelineInvalidException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final transient List<ParamProblem> problems;

    /** @param problems at least one problem */
    public PipelineInvalidException(List<ParamProblem> problems) {
        super("the pipeline is invalid: " + problems.stream().map(ParamProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem. */
    public List<ParamProblem> problems() {
        return problems;
    }
}
