package io.purifier.defense.ibau;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IbauParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10_and_the_constants_of_its_code() {
        assertEquals(new IbauParams(5, 5, 256, 1e-4, 0.0, 10.0, 0.001, 0.1, 0.01, 0.0, 4, false, 1),
                IbauParams.from(IbauParams.DESCRIPTOR.defaults()));
    }

    @Test
    void patches_as_many_images_as_python_int_of_the_product() {
        IbauParams p = IbauParams.from(IbauParams.DESCRIPTOR.defaults());
        assertEquals(2, p.patched(256));
        assertEquals(0, p.patched(99));
        IbauParams q = IbauParams.from(IbauParams.DESCRIPTOR.resolve(Map.of("outerPortion", 0.29)));
        assertEquals(28, q.patched(100), "0.29 * 100 = 28.999999999999996, truncated");
    }

    @Test
    void picks_distinct_rows_reproducibly() {
        boolean[] a = IbauUnlearning.pick(10, 3, new Random(5));
        int count = 0;
        for (boolean b : a) {
            count += b ? 1 : 0;
        }
        assertEquals(3, count);
        assertArrayEquals(a, IbauUnlearning.pick(10, 3, new Random(5)));
        assertArrayEquals(new boolean[4], IbauUnlearning.pick(4, 0, new Random(5)));
    }

    @Test
    void names_the_bad_parameter() {
        assertEquals("fixedPointIterations", assertThrows(InvalidParametersException.class,
                () -> IbauParams.DESCRIPTOR.resolve(Map.of("fixedPointIterations", 0))).parameter());
        assertEquals("outerPortion", assertThrows(InvalidParametersException.class,
                () -> IbauParams.DESCRIPTOR.resolve(Map.of("outerPortion", 1.5))).parameter());
    }
}
