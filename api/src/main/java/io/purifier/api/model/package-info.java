/** Models as plugins see them, and the model-format plugin kind that reads and writes model files. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.model;
