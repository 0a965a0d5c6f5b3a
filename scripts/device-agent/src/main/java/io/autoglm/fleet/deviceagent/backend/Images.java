package io.autoglm.fleet.deviceagent.backend;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Screenshot bytes as images: decoding a PNG or JPEG, re-encoding as PNG, telling a black (secure) screen. */
final class Images {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int SAMPLES_PER_AXIS = 48;

    private Images() {
    }

    static boolean isPng(byte[] bytes) {
        if (bytes.length < PNG_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (bytes[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decoded image, or null when the bytes are no image ImageIO can read. */
    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The screenshot at half its width and height, re-encoded. */
    static Screenshot.Captured halved(Screenshot.Captured shot) {
        BufferedImage source = decode(shot.png());
        if (source == null) {
            throw new IllegalArgumentException("not a readable PNG");
        }
        int width = Math.max(1, source.getWidth() / 2);
        int height = Math.max(1, source.getHeight() / 2);
        BufferedImage smaller = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = smaller.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return new Screenshot.Captured(png(smaller), width, height);
    }

    /**
     * Whether every sampled pixel is black: what Android and HarmonyOS hand back for a window marked
     * secure. A grid of samples is enough; a real screen has some non-black pixel among them.
     */
    static boolean isBlack(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        for (int i = 0; i < SAMPLES_PER_AXIS; i++) {
            int y = (int) ((long) i * (height - 1) / (SAMPLES_PER_AXIS - 1));
            for (int j = 0; j < SAMPLES_PER_AXIS; j++) {
                int x = (int) ((long) j * (width - 1) / (SAMPLES_PER_AXIS - 1));
                if ((image.getRGB(x, y) & 0xffffff) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
