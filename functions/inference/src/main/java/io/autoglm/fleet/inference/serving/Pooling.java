package io.autoglm.fleet.inference.serving;

/**
 * Turns a transformer's token states into one sentence vector per row, as sentence-transformers
 * does: the mean of the token vectors where the attention mask is 1 (or the first token's for CLS
 * pooling), then L2-normalised so that a dot product is the cosine similarity.
 */
public final class Pooling {

    private Pooling() {
    }

    /**
     * @param states  token states {@code [rows, tokens, dims]}, row-major
     * @param mask    attention mask {@code [rows, tokens]}, 1 for real tokens, 0 for padding
     * @param cls     take the first token instead of the mean
     */
    public static float[][] pool(float[] states, long[] mask, int rows, int tokens, int dims, boolean cls, boolean normalize) {
        if (states.length != (long) rows * tokens * dims || mask.length != rows * tokens) {
            throw new IllegalArgumentException("states of " + states.length + " values and a mask of " + mask.length
                    + " do not make [" + rows + ", " + tokens + ", " + dims + "]");
        }
        float[][] vectors = new float[rows][dims];
        double[] sum = new double[dims];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(sum, 0);
            int counted = 0;
            for (int t = 0; t < (cls ? 1 : tokens); t++) {
                if (mask[r * tokens + t] == 0) {
                    continue;
                }
                int base = (r * tokens + t) * dims;
                for (int d = 0; d < dims; d++) {
                    sum[d] += states[base + d];
                }
                counted++;
            }
            double norm = 0;
            for (int d = 0; d < dims; d++) {
                sum[d] /= Math.max(counted, 1);
                norm += sum[d] * sum[d];
            }
            double scale = normalize ? 1 / Math.max(Math.sqrt(norm), 1e-12) : 1;
            for (int d = 0; d < dims; d++) {
                vectors[r][d] = (float) (sum[d] * scale);
            }
        }
        return vectors;
    }
}
