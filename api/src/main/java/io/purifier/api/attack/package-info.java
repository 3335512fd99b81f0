/**
 * Backdoor attacks. An attack poisons data; the host trains the backdoored model from the poisoned training
 * data with the pipeline's model recipe (calling the attack's {@link io.purifier.api.attack.TrainingHook} per
 * batch for training-controlled attacks) and caches the result.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.purifier.api.attack;
