package io.autoglm.fleet.liveness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NormalQuantileTest {

    @Test
    void matchesTabulatedQuantiles() {
        assertThat(NormalQuantile.upperTail(0.05)).isCloseTo(1.644854, within(1e-6));
        assertThat(NormalQuantile.upperTail(0.001)).isCloseTo(3.090232, within(1e-6));
        assertThat(NormalQuantile.upperTail(1e-8)).isCloseTo(5.612001, within(1e-5));
    }

    @Test
    void phiEightIsAboutFiveAndAHalfDeviations() {
        assertThat(LivenessPolicy.DEFAULT.z()).isCloseTo(5.612, within(1e-3));
    }
}
