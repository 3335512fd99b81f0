package io.purifier.defense.fst;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassifierHeadTest {

    @Test
    void finds_the_dense_layer_that_produces_the_logits_of_each_zoo_model() {
        assertEquals(new ClassifierHead("fc2", 16, 3, "fc2/W", "fc2/b"), ClassifierHead.of(TestModels.create("small-cnn",
                Map.of("width", 4, "hidden", 16), TestModels.spec(1, 8, 3), 1)));
        assertEquals(new ClassifierHead("fc2", 8, 3, "fc2/W", "fc2/b"), ClassifierHead.of(TestModels.create("vgg-small",
                Map.of("widthMultiplier", 0.125, "hidden", 8), TestModels.spec(1, 8, 3), 1)));
        assertEquals(new ClassifierHead("linear", 32, 3, "linear/W", "linear/b"), ClassifierHead.of(TestModels.create(
                "preact-resnet18", Map.of("widthMultiplier", 0.0625), TestModels.spec(1, 8, 3), 1)));
    }

    @Test
    void refuses_a_model_whose_logits_are_not_a_linear_layer_and_says_what_they_are() {
        GraphBuilder b = GraphBuilder.create("pooled", Map.of(), 1, 4, 4, List.of("a", "b"), Normalization.identity(1), 1,
                DataType.FLOAT);
        EngineModel m = b.finish(b.globalAvgPool("gap", b.conv("conv", b.input(), 1, 2, 3, 1, 1, true)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ClassifierHead.of(m));
        assertEquals("fst re-initialises and tunes the linear classifier that produces the logits, but the output of "
                + "model 'pooled' comes from node 'gap', a globalavgpool layer", e.getMessage());
    }
}
