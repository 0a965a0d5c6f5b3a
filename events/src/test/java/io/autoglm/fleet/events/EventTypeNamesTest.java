package io.autoglm.fleet.events;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventTypeNamesTest {

    @Test
    void everyCatalogueEntryHasAConstantWithItsTypeString() throws IllegalAccessException {
        Map<String, Object> constants = new java.util.HashMap<>();
        for (Field field : EventTypeNames.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                constants.put(field.getName(), field.get(null));
            }
        }

        assertThat(constants).isEqualTo(Arrays.stream(EventType.values())
                .collect(Collectors.toMap(EventType::name, EventType::type)));
    }
}
