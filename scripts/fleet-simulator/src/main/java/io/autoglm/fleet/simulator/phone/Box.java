package io.autoglm.fleet.simulator.phone;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.autoglm.fleet.events.agent.RelativePoint;

import java.util.List;

/**
 * Where a widget is on a simulated screen, in the agent model's relative coordinates (0-999 on both
 * axes, whatever the screen's pixels): a tap lands on the widget when its point is inside. In a
 * screen's description it is {@code [left, top, right, bottom]}.
 */
public record Box(int left, int top, int right, int bottom) {

    public Box {
        if (left < 0 || top < 0 || right > RelativePoint.MAX || bottom > RelativePoint.MAX || left >= right || top >= bottom) {
            throw new IllegalArgumentException("a box is [left, top, right, bottom] inside 0-" + RelativePoint.MAX + ", got ["
                    + left + ", " + top + ", " + right + ", " + bottom + "]");
        }
    }

    @JsonCreator
    static Box of(List<Integer> corners) {
        if (corners == null || corners.size() != 4) {
            throw new IllegalArgumentException("a box is [left, top, right, bottom], got " + corners);
        }
        return new Box(corners.get(0), corners.get(1), corners.get(2), corners.get(3));
    }

    @JsonValue
    List<Integer> corners() {
        return List.of(left, top, right, bottom);
    }

    public boolean contains(RelativePoint point) {
        return point.x() >= left && point.x() <= right && point.y() >= top && point.y() <= bottom;
    }

    /** Where a model taps to hit it. */
    public RelativePoint center() {
        return new RelativePoint((left + right) / 2, (top + bottom) / 2);
    }

    /** The pixel rectangle {@code x, y, width, height} on a screen of that size. */
    int[] pixels(int width, int height) {
        int x = left * width / (RelativePoint.MAX + 1);
        int y = top * height / (RelativePoint.MAX + 1);
        return new int[] {x, y, Math.max(1, (right + 1) * width / (RelativePoint.MAX + 1) - x), Math.max(1, (bottom + 1) * height / (RelativePoint.MAX + 1) - y)};
    }
}
