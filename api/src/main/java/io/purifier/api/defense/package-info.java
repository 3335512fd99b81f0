/**
 * Defenses: purify a possibly backdoored model using only the data their {@link
 * io.purifier.api.defense.DataContract} declares. The host never hands a defense the poisoned test set.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.defense;
