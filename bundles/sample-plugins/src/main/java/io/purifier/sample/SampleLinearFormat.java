package io.purifier.sample;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A text format for {@link SampleLinearModel}: a header line {@code sample-linear C H W K}, then C*H*W rows of K
 * weights, then one row of K biases.
 */
@Component(service = ModelFormat.class)
@PurifierPlugin(id = "sample-linear", kind = PluginProperties.KIND_MODEL_FORMAT)
public final class SampleLinearFormat implements ModelFormat {

    @Override
    public String id() {
        return "sample-linear";
    }

    @Override
    public String name() {
        return "Sample linear (test format)";
    }

    @Override
    public String description() {
        return "Text file with the weights of a linear classifier, for tests of the host.";
    }

    @Override
    public ParamDescriptor parameters() {
        return ParamDescriptor.none();
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("txt");
    }

    @Override
    public Model load(Path file, ResolvedParams params) throws ModelFormatException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ModelFormatException("cannot read " + file.getFileName() + " as text: " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("sample-linear ")) {
            throw new ModelFormatException("not a sample-linear model: the first line must start with 'sample-linear'");
        }
        String[] head = lines.get(0).trim().split("\\s+");
        try {
            int c = Integer.parseInt(head[1]);
            int h = Integer.parseInt(head[2]);
            int w = Integer.parseInt(head[3]);
            int k = Integer.parseInt(head[4]);
            int inputs = c * h * w;
            if (lines.size() < inputs + 2) {
                throw new ModelFormatException("expected " + (inputs + 2) + " lines, found " + lines.size());
            }
            INDArray weights = Nd4j.create(inputs, k);
            for (int i = 0; i < inputs; i++) {
                double[] row = numbers(lines.get(i + 1), k, i + 2);
                for (int j = 0; j < k; j++) {
                    weights.putScalar(i, j, row[j]);
                }
            }
            INDArray bias = Nd4j.create(numbers(lines.get(inputs + 1), k, inputs + 2));
            return new SampleLinearModel(weights.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                    bias.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT), c, h, w);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ModelFormatException("malformed sample-linear header '" + lines.get(0) + "': " + e.getMessage());
        }
    }

    @Override
    public boolean canSave() {
        return true;
    }

    @Override
    public void save(Model model, Path file) throws ModelFormatException {
        if (!(model instanceof SampleLinearModel m)) {
            throw new ModelFormatException("sample-linear can only save sample-linear models");
        }
        List<String> lines = new ArrayList<>();
        lines.add("sample-linear " + m.info().channels() + " " + m.info().height() + " " + m.info().width() + " " + m.weights().size(1));
        for (int i = 0; i < m.weights().size(0); i++) {
            lines.add(join(m.weights().getRow(i)));
        }
        lines.add(join(m.bias()));
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new ModelFormatException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The text form of {@code model}. */
    public static String text(SampleLinearModel m) {
        StringBuilder out = new StringBuilder("sample-linear " + m.info().channels() + " " + m.info().height() + " "
                + m.info().width() + " " + m.weights().size(1) + "\n");
        for (int i = 0; i < m.weights().size(0); i++) {
            out.append(join(m.weights().getRow(i))).append('\n');
        }
        return out.append(join(m.bias())).append('\n').toString();
    }

    private static String join(INDArray row) {
        StringBuilder out = new StringBuilder();
        for (long j = 0; j < row.length(); j++) {
            out.append(j == 0 ? "" : " ").append(row.getDouble(j));
        }
        return out.toString();
    }

    private static double[] numbers(String line, int k, int lineNo) throws ModelFormatException {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != k) {
            throw new ModelFormatException("line " + lineNo + " has " + parts.length + " numbers, expected " + k);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            try {
                out[j] = Double.parseDouble(parts[j]);
            } catch (NumberFormatException e) {
                throw new ModelFormatException("line " + lineNo + ": '" + parts[j] + "' is not a number");
            }
        }
        return out;
    }
}
