package io.purifier.engine.nn.layers;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * A dilated {@link Conv2d} as the equivalent undilated convolution with a spread-out kernel: the weights are placed
 * {@code dilation} apart in a kernel of size {@code (k - 1) * d + 1} with zeros between, the convolution runs without
 * dilation, and the weight gradient is read back at the spread positions. ND4J's oneDNN convolution refuses every
 * dilated FLOAT convolution ("could not create a descriptor for a dilated convolution forward propagation
 * primitive", measured with 1.0.0-M2.1); the spread kernel costs {@code ((k-1)d+1)² / k²} times the multiplications
 * (2.8x for a 3x3 kernel at dilation 2) but stays on the native path, exact, in both precisions.
 */
final class DilatedConv {

    private DilatedConv() {
    }

    /** The undilated convolution with the spread kernel. */
    static Conv2d spread(Conv2d c) {
        int[] k = {(c.kernel()[0] - 1) * c.dilation()[0] + 1, (c.kernel()[1] - 1) * c.dilation()[1] + 1};
        return new Conv2d(c.in(), c.out(), k, c.stride(), c.padding(), new int[]{1, 1}, c.bias(), c.groups());
    }

    static INDArray forward(Conv2d conv, LayerContext ctx, List<INDArray> inputs) {
        Spread s = new Spread(conv, ctx);
        try {
            return spread(conv).forward(s, inputs);
        } finally {
            s.close();
        }
    }

    static INDArray[] backward(Conv2d conv, LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        Spread s = new Spread(conv, ctx);
        try {
            return spread(conv).backward(s, inputs, output, gradOut);
        } finally {
            s.close();
        }
    }

    /** The pass's context, with {@code W} replaced by the spread kernel and its gradient gathered back. */
    private static final class Spread implements LayerContext {
        private final Conv2d conv;
        private final LayerContext ctx;
        private final INDArray kernel;

        Spread(Conv2d conv, LayerContext ctx) {
            this.conv = conv;
            this.ctx = ctx;
            INDArray w = ctx.array("W");
            Conv2d s = spread(conv);
            this.kernel = ctx.scratch(w.size(0), w.size(1), s.kernel()[0], s.kernel()[1]);
            copy(Buf.of(w), Buf.of(kernel), true);
        }

        /** Spreads {@code small} into {@code big} (zeros between), or gathers {@code big} into {@code small}. */
        private void copy(Buf small, Buf big, boolean spread) {
            int kh = conv.kernel()[0];
            int kw = conv.kernel()[1];
            int dh = conv.dilation()[0];
            int dw = conv.dilation()[1];
            int bh = (kh - 1) * dh + 1;
            int bw = (kw - 1) * dw + 1;
            int planes = small.length() / (kh * kw);
            if (spread) {
                for (int i = 0; i < big.length(); i++) {
                    big.set(i, 0.0);
                }
            }
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int si = (p * kh + i) * kw + j;
                        int bi = (p * bh + i * dh) * bw + j * dw;
                        if (spread) {
                            big.set(bi, small.get(si));
                        } else {
                            small.set(si, big.get(bi));
                        }
                    }
                }
            }
        }

        void close() {
            ctx.release(kernel);
        }

        @Override
        public INDArray array(String suffix) {
            return "W".equals(suffix) ? kernel : ctx.array(suffix);
        }

        @Override
        public void parameterGradient(String suffix, INDArray gradient) {
            if (!"W".equals(suffix)) {
                ctx.parameterGradient(suffix, gradient);
                return;
            }
            INDArray small = ctx.take(ctx.array("W").shape());
            copy(Buf.of(small), Buf.of(gradient), false);
            ctx.parameterGradient("W", small);
        }

        @Override
        public String node() {
            return ctx.node();
        }

        @Override
        public BnMode mode() {
            return ctx.mode();
        }

        @Override
        public DataType dataType() {
            return ctx.dataType();
        }

        @Override
        public INDArray take(long... shape) {
            return ctx.take(shape);
        }

        @Override
        public INDArray scratch(long... shape) {
            return ctx.scratch(shape);
        }

        @Override
        public void release(INDArray scratch) {
            ctx.release(scratch);
        }

        @Override
        public void save(Object state) {
            ctx.save(state);
        }

        @Override
        public Object saved() {
            return ctx.saved();
        }

        @Override
        public boolean updatesRunningStatistics() {
            return ctx.updatesRunningStatistics();
        }

        @Override
        public boolean wantsGradient(String suffix) {
            return ctx.wantsGradient(suffix);
        }

        @Override
        public boolean needsInputGradient(int index) {
            return ctx.needsInputGradient(index);
        }
    }
}
