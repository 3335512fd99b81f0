package io.purifier.defense.ft;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FineTuningParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10_settings_with_fewer_epochs() {
        FineTuningParams p = FineTuningParams.from(FineTuningParams.DESCRIPTOR.defaults());
        assertEquals(new FineTuningParams("sgd", 0.01, 0.9, 5e-4, "cosine", 20, 256, 4, false), p);
        assertEquals(0.01, p.training().learningRateAt(0), 0);
        assertEquals(4, p.augmentation().cropPadding());
    }

    @ParameterizedTest
    @CsvSource({"epochs, 0", "batchSize, 1", "learningRate, 0", "momentum, 1.0", "weightDecay, -1", "schedule, linear",
            "optimizer, rmsprop", "cropPadding, -1"})
    void rejects_a_bad_value_and_names_the_parameter(String name, String value) {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> FineTuningParams.DESCRIPTOR.resolve(Map.of(name, value)));
        assertEquals(name, e.parameter());
    }
}
