package io.purifier.engine.blocks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of {@link Pgd#perturb}.
 *
 * @param images     adversarial images {@code [N, C, H, W]} in [0, 1]
 * @param stepsTaken per sample, how many steps changed it before it was stopped early (or all steps)
 */
public record PgdResult(INDArray images, int[] stepsTaken) {
}
