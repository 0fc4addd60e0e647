package io.dtm.model;

import java.util.Optional;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;

/**
 * Cholesky decomposition (commons-math3) of a symmetric positive semi-definite cross-product matrix after scaling it
 * to unit diagonal, so that the rank test is scale-free: a pivot of the scaled matrix is 1 − R² of that column on
 * the columns before it, and a pivot below {@link #PIVOT_THRESHOLD} counts as collinear.
 */
final class ScaledCholesky {

    /** Smallest accepted 1 − R² of a column on the preceding ones. */
    static final double PIVOT_THRESHOLD = 1e-10;

    private final double[] scale;
    private final DecompositionSolver solver;

    private ScaledCholesky(double[] scale, DecompositionSolver solver) {
        this.scale = scale;
        this.solver = solver;
    }

    /** The decomposition of {@code a} (lower triangle read); empty when a diagonal is not positive or a pivot fails. */
    static Optional<ScaledCholesky> of(double[][] a) {
        int k = a.length;
        double[] scale = new double[k];
        for (int i = 0; i < k; i++) {
            if (!(a[i][i] > 0)) {
                return Optional.empty();
            }
            scale[i] = 1 / Math.sqrt(a[i][i]);
        }
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) {
            c[i][i] = 1;
            for (int j = 0; j < i; j++) {
                c[i][j] = a[i][j] * scale[i] * scale[j];
                c[j][i] = c[i][j];
            }
        }
        try {
            CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(c, false),
                    CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD, PIVOT_THRESHOLD);
            return Optional.of(new ScaledCholesky(scale, chol.getSolver()));
        } catch (MathIllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** a⁻¹ b. */
    double[] solve(double[] b) {
        int k = scale.length;
        double[] scaled = new double[k];
        for (int i = 0; i < k; i++) {
            scaled[i] = b[i] * scale[i];
        }
        double[] u = solver.solve(new ArrayRealVector(scaled, false)).toArray();
        for (int i = 0; i < k; i++) {
            u[i] *= scale[i];
        }
        return u;
    }

    /** a⁻¹. */
    double[][] inverse() {
        double[][] inv = solver.getInverse().getData();
        for (int i = 0; i < inv.length; i++) {
            for (int j = 0; j < inv.length; j++) {
                inv[i][j] *= scale[i] * scale[j];
            }
        }
        return inv;
    }
}
