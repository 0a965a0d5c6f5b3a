package io.autoglm.fleet.modelstore.onnx;

import io.autoglm.fleet.modelstore.InvalidModelException;
import io.autoglm.fleet.modelstore.TensorSpec;
import io.autoglm.fleet.modelstore.testing.TinyOnnx;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxSignatureTest {

    @Test
    void inputsAndOutputsComeFromTheGraphWithDynamicDimensionsAsMinusOne() {
        OnnxSignature signature = OnnxSignature.parse(ByteBuffer.wrap(TinyOnnx.linear("features", "scores", new float[3][2])), "tiny");

        assertThat(signature.irVersion()).isEqualTo(8);
        assertThat(signature.inputs()).containsExactly(new TensorSpec("features", "float32", List.of(-1L, 3L)));
        assertThat(signature.outputs()).containsExactly(new TensorSpec("scores", "float32", List.of(-1L, 2L)));
    }

    @Test
    void integerInputsKeepTheirType() {
        OnnxSignature signature = OnnxSignature.parse(ByteBuffer.wrap(TinyOnnx.castToFloat("ids", "out", 5)), "tiny");
        assertThat(signature.inputs()).containsExactly(new TensorSpec("ids", "int64", List.of(-1L, 5L)));
    }

    @Test
    void somethingElseIsNotAModel() {
        assertThatThrownBy(() -> OnnxSignature.parse(ByteBuffer.wrap("{\"json\": true}".getBytes()), "notes.onnx"))
                .isInstanceOf(InvalidModelException.class).hasMessageStartingWith("notes.onnx is not");
    }
}
