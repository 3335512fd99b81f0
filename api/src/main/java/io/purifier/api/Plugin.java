package io.purifier.api;

import io.purifier.api.param.ParamDescriptor;

/**
 * What every plugin service shares: a stable id, a human name and description, and its parameter descriptor.
 *
 * <p>Implementations must be cheap to construct and side-effect free: the host calls these methods to list
 * components. Heavy state (models, data) is created per call of the kind-specific method, never kept in fields
 * between runs.</p>
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Plugin {

    /** Stable kebab-case id (for example {@code "npd"}); appears in pipeline JSON, URLs and history. Never renamed. */
    String id();

    /** Short human-readable name shown in the UI. */
    String name();

    /** One or two sentences: what the plugin does, and where it comes from (paper, format). */
    String description();

    /** The typed parameters: the single source of defaults, validation, UI forms and stored parameters. */
    ParamDescriptor parameters();
}
