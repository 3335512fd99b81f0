package io.purifier.data;

import io.purifier.api.data.ImageSet;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubsetRequestTest {

    private final ParamDescriptor descriptor = ParamDescriptor.of(SubsetRequest.specs(60_000, 10_000));
    private final ImageSet set = new ImageSet(Nd4j.rand(DataType.FLOAT, 8, 1, 2, 2), new int[] {0, 1, 0, 1, 0, 1, 0, 1},
            List.of("a", "b"));

    @Test
    void defaults_keep_everything() {
        SubsetRequest request = SubsetRequest.from(descriptor.defaults());

        assertEquals(new SubsetRequest(0, 0, 0), request);
        assertTrue(request.isAll());
        assertSame(set, request.train(set));
        assertSame(set, request.test(set));
    }

    @Test
    void sizes_give_balanced_subsets() {
        SubsetRequest request = SubsetRequest.from(descriptor.resolve(Map.of("trainSize", 4, "testSize", 2, "subsetSeed", 3)));

        assertArrayEquals(new int[] {2, 2}, histogram(request.train(set).labels()));
        assertArrayEquals(new int[] {1, 1}, histogram(request.test(set).labels()));
    }

    @Test
    void sizes_beyond_the_bounds_are_refused_by_name() {
        var e = assertThrows(InvalidParametersException.class, () -> descriptor.resolve(Map.of("testSize", 10_001)));

        assertEquals("testSize", e.parameter());
    }

    private static int[] histogram(int[] labels) {
        int[] counts = new int[2];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
