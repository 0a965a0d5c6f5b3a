package io.autoglm.fleet.modelstore.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Real PNG screenshots made in code, distinct by seed, for blob store tests here and in other modules. */
public final class Screenshots {

    private Screenshots() {
    }

    /** A {@code width} x {@code height} PNG of noise from {@code seed}: noise does not compress, so its size is honest. */
    public static byte[] png(long seed, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A small screenshot (a few KB). */
    public static byte[] png(long seed) {
        return png(seed, 24, 48);
    }
}
