/**
 * Post-purification robustness: attacks on a purified model that measure whether its backdoor was removed or only
 * hidden (the retuning attack and its P-ASR).
 */
package io.purifier.engine.robustness;
