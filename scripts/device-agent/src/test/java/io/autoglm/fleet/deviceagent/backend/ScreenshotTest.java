package io.autoglm.fleet.deviceagent.backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenshotTest {

    @Test
    void aScreenshotTooLargeForAFrameIsHalvedUntilItFits() {
        byte[] png = FakeBridge.encode(FakeBridge.image(400, 800), "png");
        Screenshot.Captured shot = new Screenshot.Captured(png, 400, 800);

        Screenshot.Captured fitted = shot.fitWithin(png.length / 3);

        assertThat(fitted.png().length).isLessThanOrEqualTo(png.length / 3);
        assertThat(fitted.width()).isLessThan(400);
        assertThat(fitted.height()).isEqualTo(fitted.width() * 2);
        assertThat(Images.isPng(fitted.png())).isTrue();
        assertThat(Images.decode(fitted.png()).getWidth()).isEqualTo(fitted.width());
    }

    @Test
    void aScreenshotThatFitsIsLeftAsItIs() {
        byte[] png = FakeBridge.encode(FakeBridge.image(40, 80), "png");
        Screenshot.Captured shot = new Screenshot.Captured(png, 40, 80);

        assertThat(shot.fitWithin(png.length)).isSameAs(shot);
    }
}
