package io.autoglm.fleet.simulator.phone;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedScreenshotTest {

    @Test
    void aScreenshotIsASmallRealPngOfTheScreenInTheAppsColours() throws Exception {
        SimulatedPhone phone = new SimulatedPhone();
        phone.execute(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")));
        byte[] png = phone.screenshot();

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(SimulatedScreenshot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(SimulatedScreenshot.HEIGHT);
        assertThat(png.length).isLessThan(24 * 1024);
        assertThat(image.getRGB(SimulatedScreenshot.WIDTH - 3, 40) & 0xffffff).isEqualTo(0x1a73e8); // the title bar, Settings' blue
        assertThat(image.getRGB(5, 300) & 0xffffff).isEqualTo(0xffffff);
        assertThat(SimulatedScreenshot.size(png)).hasValueSatisfying(size -> assertThat(size).containsExactly(270, 585));
    }

    @Test
    void theScreenshotCarriesItsScreenDescriptionInATextChunk() throws Exception {
        SimulatedPhone phone = new SimulatedPhone();
        phone.execute(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Messages")));
        phone.execute(new CommandAction(AgentAction.SWIPE, Map.of("start", "[500,800]", "end", "[500,200]")));

        byte[] png = phone.screenshot();

        assertThat(SimulatedScreenshot.describe(png)).contains(phone.screen());
        assertThat(phone.screen().widget("contact-张三")).isPresent();
        assertThat(SimulatedScreenshot.text(png, SimulatedScreenshot.KEYWORD).orElseThrow()).contains("\\u5F20").doesNotContain("张")
                .contains("\"packageName\":\"com.google.android.apps.messaging\"");
    }

    @Test
    void everyScreenRoundTripsWithItsSwitchesFieldsAndLoadingState() {
        Screen screen = new Screen("Shop", "com.example.shop", "home", "Shop", true, true, false, List.of(
                new Widget("search", Widget.Kind.FIELD, "Search products", new Box(30, 120, 969, 200), null, "shoes \"red\"", true),
                new Widget("wifi", Widget.Kind.SWITCH, "Use Wi-Fi", new Box(30, 210, 969, 290), false, null, null),
                new Widget("pay", Widget.Kind.BUTTON, "Pay €5", new Box(60, 300, 939, 390), null, null, null)));

        assertThat(SimulatedScreenshot.describe(SimulatedScreenshot.render(screen, 0x123456))).contains(screen);
    }

    @Test
    void aPngWithoutTheChunkOrBytesThatAreNoPngDescribeNothing() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", plain);

        assertThat(SimulatedScreenshot.describe(plain.toByteArray())).isEmpty();
        assertThat(SimulatedScreenshot.describe("not a png".getBytes())).isEmpty();
        assertThat(SimulatedScreenshot.describe(new byte[0])).isEmpty();
    }

    @Test
    void theSameScreenIsNotDrawnTwice() throws Exception {
        SimulatedPhone phone = new SimulatedPhone();
        byte[] first = phone.screenshot();
        phone.execute(new CommandAction(AgentAction.TAP, Map.of("element", "[5,5]")));

        assertThat(phone.screenshot()).isEqualTo(first);
    }
}
