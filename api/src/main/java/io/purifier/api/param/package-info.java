/**
 * Typed parameter descriptors: one {@link io.purifier.api.param.ParamDescriptor} per plugin is the single source
 * of defaults, validation, UI forms and the resolved parameters stored in run history.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.purifier.api.param;
