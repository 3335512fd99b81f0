package io.purifier.server.osgi;

import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamSpec;

import java.util.List;

/**
 * What the API and UI show of an installed plugin.
 *
 * @param id             stable plugin id
 * @param kind           kind in JSON form ({@code defense}, {@code model-format}, ...)
 * @param name           human name
 * @param description    description
 * @param parameters     the parameter descriptor (types, defaults, bounds, choices, units, help)
 * @param dataContract   for defenses: what data they need; null otherwise
 * @param fileExtensions for model formats: file endings read; empty otherwise
 * @param canSave        for model formats: whether they write models
 * @param bundle         the providing bundle
 */
public record ComponentInfo(String id, String kind, String name, String description, List<ParamSpec> parameters,
                            DataContract dataContract, List<String> fileExtensions, boolean canSave,
                            BundleIdentity bundle) {
}
