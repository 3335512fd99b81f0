package io.purifier.engine.blocks;

/**
 * One sharpness-aware minimisation step's settings (Foret et al., ICLR 2021; the adaptive variant ASAM of Kwon et
 * al., ICML 2021; the surrogate-gap decomposition of GSAM, Zhuang et al., ICLR 2022), as in BackdoorBench's
 * {@code utils/defense_utils/sam}.
 *
 * @param rho      radius of the weight perturbation (0 makes the step a plain step)
 * @param adaptive ASAM: the perturbation is scaled element-wise by the weights ({@code e = rho w² g / ||w g||})
 *                 instead of {@code e = rho g / ||g||}
 * @param alpha    GSAM's weight of the component of the first gradient orthogonal to the second (0 = plain SAM)
 */
public record SamConfig(double rho, boolean adaptive, double alpha) {

    /** Added to gradient norms before dividing by them, as BackdoorBench's {@code perturb_eps}. */
    public static final double PERTURB_EPS = 1e-12;

    /** Checks the values. */
    public SamConfig {
        if (!(rho >= 0) || !Double.isFinite(rho) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("SAM needs a finite rho >= 0 and a finite alpha, got rho=" + rho
                    + " alpha=" + alpha);
        }
    }

    /** A copy with another radius (for schedules of rho). */
    public SamConfig withRho(double newRho) {
        return new SamConfig(newRho, adaptive, alpha);
    }
}
