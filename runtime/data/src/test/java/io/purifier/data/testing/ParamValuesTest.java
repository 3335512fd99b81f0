package io.purifier.data.testing;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParamValuesTest {

    private static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("targetLabel", 0, 0, 9, "target"),
            ParamSpec.real("poisonRatio", 0.1, 0.0, 1.0, "ratio"));

    @Test
    void named_values_are_resolved_and_the_rest_take_their_defaults() {
        ResolvedParams params = ParamValues.resolve(DESCRIPTOR, "targetLabel", 3);
        assertEquals(3, params.integer("targetLabel"));
        assertEquals(0.1, params.real("poisonRatio"));
    }

    @Test
    void an_unpaired_name_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> ParamValues.resolve(DESCRIPTOR, "targetLabel"));
    }
}
