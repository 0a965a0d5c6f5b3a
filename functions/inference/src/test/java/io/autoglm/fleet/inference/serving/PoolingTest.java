package io.autoglm.fleet.inference.serving;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PoolingTest {

    // two rows, three tokens, two dims; row 1's last token is padding
    private final float[] states = {
            1, 0, 3, 0, 2, 6,
            4, 4, 0, 2, 100, 100};
    private final long[] mask = {1, 1, 1, 1, 1, 0};

    @Test
    void meanPoolingAveragesOnlyRealTokens() {
        float[][] v = Pooling.pool(states, mask, 2, 3, 2, false, false);
        assertThat(v[0]).containsExactly(2f, 2f);
        assertThat(v[1]).as("padding ignored").containsExactly(2f, 3f);
    }

    @Test
    void normalisedVectorsHaveUnitLength() {
        float[][] v = Pooling.pool(states, mask, 2, 3, 2, false, true);
        assertThat(v[1][0]).isCloseTo((float) (2 / Math.sqrt(13)), within(1e-7f));
        assertThat(v[1][0] * v[1][0] + v[1][1] * v[1][1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void clsPoolingTakesTheFirstToken() {
        assertThat(Pooling.pool(states, mask, 2, 3, 2, true, false)[1]).containsExactly(4f, 4f);
    }

    @Test
    void aRowDoesNotDependOnWhatElseIsInTheBatchOrOnPadding() {
        float[][] alone = Pooling.pool(new float[]{4, 4, 0, 2}, new long[]{1, 1}, 1, 2, 2, false, true);
        float[][] batched = Pooling.pool(states, mask, 2, 3, 2, false, true);
        assertThat(batched[1]).containsExactly(alone[0]);
    }
}
