package io.purifier.server.schema;

import io.purifier.api.param.ParamProblem;

/**
 * One place where a JSON document breaks its schema.
 *
 * @param path    JSON path of the offending member, e.g. {@code defenses[0].data.fraction}
 * @param value   the offending value as given (text, number or boolean; null for objects, lists and missing members)
 * @param message what is wrong, e.g. "must be at least 0"
 * @param shape   true when the document cannot be read into its Java types at all (unknown member, wrong type,
 *                missing required member); false for a value outside its bounds or choices
 */
public record SchemaProblem(String path, Object value, String message, boolean shape) {

    /** The same problem as the parameter problem the API reports. */
    public ParamProblem toParamProblem() {
        return new ParamProblem(path, value, message);
    }
}
