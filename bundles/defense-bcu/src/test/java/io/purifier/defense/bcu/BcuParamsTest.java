package io.purifier.defense.bcu;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamSpec;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BCU's no-crop departure as a named variant of the method: the reference behaviour by default, only the crop differs. */
class BcuParamsTest {

    @Test
    void the_default_is_the_reference_random_crop_and_the_parameter_is_a_variant() {
        ParamSpec spec = BcuParams.DESCRIPTOR.specs().stream().filter(s -> s.name().equals("randomCrop")).findFirst()
                .orElseThrow();
        assertTrue(spec.variant(), "the matrix turns its other choice into the column bcu-no-crop");
        assertEquals(BcuParams.REFERENCE_CROP, spec.defaultValue());
        assertEquals(java.util.List.of("reference", "no-crop"), spec.choices());
        BcuParams defaults = BcuParams.from(BcuParams.DESCRIPTOR.defaults());
        assertEquals(new Augmentation(4, false), defaults.augmentation(), "the reference crops after 4 px of padding");
    }

    @Test
    void the_no_crop_variant_changes_the_augmentation_and_nothing_else() throws Exception {
        BcuParams reference = BcuParams.from(BcuParams.DESCRIPTOR.resolve(Map.of("cropPadding", 6, "horizontalFlip", true)));
        BcuParams noCrop = BcuParams.from(BcuParams.DESCRIPTOR.resolve(Map.of("cropPadding", 6, "horizontalFlip", true,
                "randomCrop", "no-crop")));
        assertEquals(new Augmentation(6, true), reference.augmentation());
        assertEquals(new Augmentation(0, true), noCrop.augmentation(), "no crop whatever cropPadding says; the flip stays");
        assertNotEquals(reference.augmentation(), noCrop.augmentation());
        for (RecordComponent c : BcuParams.class.getRecordComponents()) {
            if (!c.getName().equals("randomCrop")) {
                assertEquals(c.getAccessor().invoke(reference), c.getAccessor().invoke(noCrop), c.getName() + " is the same");
            }
        }
        assertEquals(reference.training(), noCrop.training());
        assertEquals(reference.temperatures(), noCrop.temperatures());
        for (int epoch = 0; epoch <= reference.epochs(); epoch++) {
            assertEquals(reference.probesAt(epoch), noCrop.probesAt(epoch));
        }
    }
}
