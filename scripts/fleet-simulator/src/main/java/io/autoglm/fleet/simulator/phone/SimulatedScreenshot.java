package io.autoglm.fleet.simulator.phone;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.autoglm.fleet.events.EventJson;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A simulated screen as a real, small PNG (drawn with java.awt, headless): the status bar, the app's
 * title bar in its colour, each widget as a labelled box (rows, switches, fields, buttons, icons), and
 * the screen's {@link Screen} description as JSON in a {@code tEXt} chunk ({@value #KEYWORD}), so that
 * a simulated model reads the screen from the image alone. Drawing is a few milliseconds, the PNG a
 * few KB. Where the JVM has no fonts, the boxes are drawn without their labels; the chunk is the same.
 */
public final class SimulatedScreenshot {

    /** A 1080x2340 phone's screen at a quarter of its size. */
    public static final int WIDTH = 270;
    public static final int HEIGHT = 585;
    /** The tEXt chunk's keyword. */
    public static final String KEYWORD = "autoglm-sim-screen";

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** tEXt is Latin-1: the JSON goes in as ASCII, anything else escaped ({@code \u5f20}). */
    private static final ObjectWriter ASCII_JSON = EventJson.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Color INK = new Color(0x202124);
    private static final Color GREY = new Color(0x80868b);
    private static final Color LINE = new Color(0xdadce0);
    private static final boolean LABELS = fontsWork();

    private SimulatedScreenshot() {
    }

    /** Draws {@code screen}, its title bar in {@code colour} (RGB). */
    public static byte[] render(Screen screen, int colour) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            Color accent = new Color(colour);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(INK);
            g.fillRect(0, 0, WIDTH, y(35));
            label(g, "12:00", SMALL, Color.WHITE, 8, y(35) - 6);
            g.setColor(accent);
            g.fillRect(0, y(35), WIDTH, y(110) - y(35));
            label(g, screen.title(), TITLE, Color.WHITE, 12, y(110) - 12);
            for (Widget widget : screen.widgets()) {
                draw(g, widget, accent);
            }
            if (screen.moreBelow() || screen.moreAbove()) {
                g.setColor(LINE);
                g.fillRoundRect(WIDTH - 5, screen.moreAbove() ? y(500) : y(130), 3, y(300), 3, 3);
            }
        } finally {
            g.dispose();
        }
        return withText(png(image), KEYWORD, new String(json(screen), StandardCharsets.US_ASCII));
    }

    /** The description a simulated screenshot carries; empty for any other PNG (a real phone's) or bytes that are not a PNG. */
    public static Optional<Screen> describe(byte[] png) {
        return text(png, KEYWORD).flatMap(json -> {
            try {
                return Optional.of(EventJson.read(json.getBytes(StandardCharsets.ISO_8859_1), Screen.class));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** The PNG's size in pixels, {@code [width, height]}, read from its header; empty when it is not a PNG. */
    public static Optional<int[]> size(byte[] png) {
        if (!isPng(png) || png.length < 24) {
            return Optional.empty();
        }
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
        return Optional.of(new int[] {header.getInt(), header.getInt()});
    }

    static byte[] json(Screen screen) {
        try {
            return ASCII_JSON.writeValueAsBytes(screen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void draw(Graphics2D g, Widget widget, Color accent) {
        int[] r = widget.box().pixels(WIDTH, HEIGHT);
        int x = r[0];
        int y = r[1];
        int w = r[2];
        int h = r[3];
        int baseline = y + h / 2 + 4;
        switch (widget.kind()) {
            case ICON -> {
                int side = Math.min(w, h) - 16;
                g.setColor(accent.darker());
                g.fillRoundRect(x + (w - side) / 2, y + 2, side, side, 12, 12);
                centred(g, widget.label(), TEXT, INK, x, w, y + side + 14);
            }
            case ROW -> {
                g.setColor(LINE);
                g.drawLine(x, y + h - 1, x + w, y + h - 1);
                label(g, widget.label(), TEXT, INK, x + 4, widget.value() == null ? baseline : y + h / 2);
                if (widget.value() != null) {
                    label(g, widget.value(), SMALL, GREY, x + 4, y + h / 2 + 12);
                }
                label(g, ">", TEXT, GREY, x + w - 10, baseline);
            }
            case SWITCH -> {
                label(g, widget.label(), TEXT, INK, x + 4, baseline);
                boolean on = Boolean.TRUE.equals(widget.on());
                g.setColor(on ? accent : LINE);
                g.fillRoundRect(x + w - 36, y + h / 2 - 7, 28, 14, 14, 14);
                g.setColor(Color.WHITE);
                g.fillOval(on ? x + w - 22 : x + w - 35, y + h / 2 - 6, 12, 12);
            }
            case FIELD -> {
                boolean focused = Boolean.TRUE.equals(widget.focused());
                g.setColor(focused ? accent : GREY);
                g.setStroke(new BasicStroke(focused ? 2 : 1));
                g.drawRoundRect(x + 1, y + 4, w - 3, h - 8, 8, 8);
                g.setStroke(new BasicStroke(1));
                boolean empty = widget.value() == null || widget.value().isEmpty();
                label(g, empty ? widget.label() : widget.value(), TEXT, empty ? GREY : INK, x + 8, baseline);
                if (focused) {
                    g.setColor(accent);
                    int caret = x + 8 + (empty || !LABELS ? 0 : g.getFontMetrics(TEXT).stringWidth(widget.value()));
                    g.drawLine(caret + 1, y + 10, caret + 1, y + h - 10);
                }
            }
            case BUTTON -> {
                g.setColor(accent);
                g.fillRoundRect(x, y + 4, w, h - 8, 16, 16);
                centred(g, widget.label(), TEXT, Color.WHITE, x, w, baseline);
            }
            case TEXT -> label(g, widget.label(), TEXT, INK, x + 4, baseline);
        }
    }

    private static void label(Graphics2D g, String text, Font font, Color colour, int x, int baseline) {
        if (LABELS) {
            g.setFont(font);
            g.setColor(colour);
            FontMetrics metrics = g.getFontMetrics();
            String shown = text;
            while (shown.length() > 1 && x + metrics.stringWidth(shown) > WIDTH - 8) {
                shown = shown.substring(0, shown.length() - 2) + "…";
            }
            g.drawString(shown, x, baseline);
        }
    }

    private static void centred(Graphics2D g, String text, Font font, Color colour, int x, int width, int baseline) {
        int textWidth = LABELS ? g.getFontMetrics(font).stringWidth(text) : 0;
        label(g, text, font, colour, x + Math.max(0, (width - textWidth) / 2), baseline);
    }

    private static int y(int relative) {
        return relative * HEIGHT / 1000;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code png} with a tEXt chunk {@code keyword}: {@code text} after its header (IHDR, always the first chunk: 8 + 25 bytes). */
    static byte[] withText(byte[] png, String keyword, String text) {
        byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put("tEXt".getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        int at = SIGNATURE.length + 25;
        byte[] out = Arrays.copyOf(png, png.length + chunk.capacity());
        System.arraycopy(chunk.array(), 0, out, at, chunk.capacity());
        System.arraycopy(png, at, out, at + chunk.capacity(), png.length - at);
        return out;
    }

    /** The text of the first tEXt chunk named {@code keyword}, read chunk by chunk without decoding the image. */
    static Optional<String> text(byte[] png, String keyword) {
        if (!isPng(png)) {
            return Optional.empty();
        }
        byte[] name = (keyword + '\0').getBytes(StandardCharsets.ISO_8859_1);
        int at = SIGNATURE.length;
        while (at + 12 <= png.length) {
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            if (length < 0 || at + 12L + length > png.length) {
                return Optional.empty();
            }
            String type = new String(png, at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("tEXt") && length >= name.length && Arrays.equals(png, at + 8, at + 8 + name.length, name, 0, name.length)) {
                return Optional.of(new String(png, at + 8 + name.length, length - name.length, StandardCharsets.ISO_8859_1));
            }
            if (type.equals("IEND")) {
                break;
            }
            at += 12 + length;
        }
        return Optional.empty();
    }

    private static boolean isPng(byte[] png) {
        return png != null && png.length >= SIGNATURE.length && Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    /** Whether text can be drawn here (a JVM without fonts throws at the first string). */
    private static boolean fontsWork() {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        try {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.setFont(TEXT);
            g.drawString("x", 0, 0);
            g.dispose();
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
