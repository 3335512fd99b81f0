package io.purifier.data.poison;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirtyLabelParamsTest {

    @Test
    void defaults_follow_backdoorbench() {
        ResolvedParams defaults = ParamDescriptor.of(DirtyLabelParams.TARGET_LABEL, DirtyLabelParams.POISON_RATIO,
                DirtyLabelParams.MODE).defaults();
        assertEquals(0, defaults.integer("targetLabel"));
        assertEquals(0.1, defaults.real("poisonRatio"));
        assertEquals(LabelMode.ALL_TO_ONE, LabelMode.fromId(defaults.text("mode")));
    }
}
