package io.autoglm.fleet.modelstore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRefTest {

    @Test
    void aBareNameFollowsTheStableAlias() {
        assertThat(ModelRef.parse("all-minilm-l6-v2")).isEqualTo(ModelRef.alias("all-minilm-l6-v2", "stable"));
    }

    @Test
    void aNumberPinsAVersionAndAWordNamesAnAlias() {
        assertThat(ModelRef.parse("m@12")).isEqualTo(ModelRef.version("m", 12));
        assertThat(ModelRef.parse("m@canary")).isEqualTo(ModelRef.alias("m", "canary"));
        assertThat(ModelRef.parse("m@12").toString()).isEqualTo("m@12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "M", "m@", "m@0", "m@-1", "m@Canary", "m@1a", "a b", "m@@1", "../etc"})
    void malformedReferencesAreRefusedWithASentence(String text) {
        assertThatThrownBy(() -> ModelRef.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().isNotBlank();
    }
}
