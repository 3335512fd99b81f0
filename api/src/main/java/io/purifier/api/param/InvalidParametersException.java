package io.purifier.api.param;

import io.purifier.api.InvalidInputException;

import java.util.List;
import java.util.stream.Collectors;

/** One or more parameter values are wrong; every problem names its parameter and the bad value. */
public class InvalidParametersException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final transient List<ParamProblem> problems;

    /** @param problems at least one problem */
    public InvalidParametersException(List<ParamProblem> problems) {
        super(problems.stream().map(ParamProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidParametersException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in descriptor order. */
    public List<ParamProblem> problems() {
        return problems;
    }

    /** The name of the first bad parameter (convenient in tests and single-field UIs). */
    public String parameter() {
        return problems.get(0).parameter();
    }
}
