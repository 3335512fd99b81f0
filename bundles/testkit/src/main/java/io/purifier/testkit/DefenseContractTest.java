package io.purifier.testkit;

import io.purifier.api.PluginProperties;
import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.UnlabeledImages;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunCancelledException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every defense keeps, as JUnit tests: extend it, implement {@link #defense()} and, when the defaults
 * take too long for a unit test, {@link #quickParams()}. Checked: {@code id()} matches the {@code purifier.id}
 * service property bnd wrote; the README's parameter table matches the descriptor; every parameter error names
 * the parameter; the defense runs on exactly the data its {@link DataContract} declares; the input model is never
 * changed; the same seed gives the same model; progress reaches 100 %; cancellation is honoured within
 * {@link #cancelAfterChecks()} checks; a model that is not an engine model and data that does not fit the model are
 * refused with an {@link InvalidInputException}. The fixture is a tiny backdoored CNN
 * ({@link TinyModels#backdooredCnn}) and quadrant images ({@link TinyData#quadrants}); override {@link #model()} and
 * {@link #labeledData()} for others. The data handed to the defense is exactly what its {@link DataContract}
 * declares: labeled images for {@code labeledClean}, the same images without labels for {@code unlabeled}, nothing
 * for {@code none} ({@link #contractData}).
 */
public abstract class DefenseContractTest {

    /** A new instance of the defense under test (as Declarative Services would create it). */
    protected abstract Defense defense();

    /** Parameters (over the defaults) that keep a run to a second or two; none by default. */
    protected Map<String, Object> quickParams() {
        return Map.of();
    }

    /**
     * The possibly backdoored model handed to the defense, a fresh copy per call: {@link TinyModels#backdooredCnn}
     * (seed 7, with batch norm), trained once per JVM. Override it to share the model a module's own tests train.
     */
    protected Model model() {
        return TinyModels.backdooredCnn(7, true);
    }

    /** Clean labeled images that fit {@link #model()}. */
    protected ImageSet labeledData() {
        return TinyData.quadrants(11, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    /** After how many {@code checkCancelled()} calls the cancellation test cancels (2 = within the second batch). */
    protected long cancelAfterChecks() {
        return 2;
    }

    /**
     * Whether the defense works on any {@link Model} (only its logits) rather than on engine models; when it does,
     * the contract does not expect a non-engine model to be refused. False by default.
     */
    protected boolean acceptsAnyModel() {
        return false;
    }

    /** The build's class directory, where bnd wrote {@code OSGI-INF/*.xml}. */
    protected Path classesDirectory() {
        return Path.of("target", "classes");
    }

    /** The plugin's README with the {@code ## Parameters} table. */
    protected Path readme() {
        return Path.of("README.md");
    }

    /** The data the defense's contract declares, and nothing else. */
    protected final DefenseData contractData(DataContract contract) {
        return switch (contract.kind()) {
            case LABELED_CLEAN -> new DefenseData(labeledData(), null, "testkit: labeled clean quadrants");
            case UNLABELED -> new DefenseData(null, labeledData().withoutLabels(), "testkit: unlabeled quadrants");
            case NONE -> new DefenseData(null, null, "testkit: no data");
        };
    }

    private DefenseResult run(Defense defense, Model model, RecordingRunContext ctx) throws Exception {
        ResolvedParams params = defense.parameters().resolve(quickParams());
        return defense.purify(model, contractData(defense.dataContract()), params, ctx);
    }

    @Test
    void id_matches_the_service_property() throws IOException {
        Defense defense = defense();
        String description = ComponentDescriptions.of(classesDirectory(), defense.getClass()).orElseThrow(() ->
                new AssertionError("no component description of " + defense.getClass().getName() + " under "
                        + classesDirectory().resolve("OSGI-INF") + ": annotate it with @Component and @PurifierPlugin"));
        assertEquals(defense.id(), ComponentDescriptions.property(description, PluginProperties.ID).orElse(null),
                "the service property " + PluginProperties.ID + " must equal id()");
        assertEquals(PluginProperties.KIND_DEFENSE, ComponentDescriptions.property(description, PluginProperties.KIND).orElse(null));
        assertEquals(List.of(Defense.class.getName()), ComponentDescriptions.services(description));
        assertTrue(defense.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), "id() is kebab-case: " + defense.id());
    }

    @Test
    void the_readme_lists_every_parameter_with_its_default() throws IOException {
        assertTrue(Files.isRegularFile(readme()), readme() + " is missing");
        ReadmeParameterTable.check(readme(), defense().parameters());
    }

    @Test
    void every_parameter_error_names_the_parameter() {
        Defense defense = defense();
        defense.parameters().defaults();
        for (ParamSpec spec : defense.parameters().specs()) {
            Object bad = switch (spec.type()) {
                case INTEGER, REAL -> spec.max() != null ? spec.max() * 2 + 1 : "not a number";
                case BOOLEAN -> "maybe";
                case CHOICE -> "no-such-choice";
                default -> null;
            };
            if (bad == null) {
                continue;
            }
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> defense.parameters().resolve(Map.of(spec.name(), bad)), spec.name() + "=" + bad + " is refused");
            assertEquals(spec.name(), e.parameter());
            assertTrue(e.getMessage().contains(spec.name()), e.getMessage());
        }
        assertThrows(InvalidParametersException.class, () -> defense.parameters().resolve(Map.of("noSuchParameter", 1)));
    }

    /** One run with seed 3 on a fresh {@link #model()}, shared by the checks of one test class (runs cost time). */
    private record FirstRun(Model input, byte[] inputBefore, DefenseResult result, RecordingRunContext ctx) {
    }

    private static final Map<Class<?>, FirstRun> FIRST_RUNS = new ConcurrentHashMap<>();

    private FirstRun firstRun() throws Exception {
        FirstRun done = FIRST_RUNS.get(getClass());
        if (done == null) {
            Model model = model();
            byte[] before = ModelBytes.of(model);
            RecordingRunContext ctx = RecordingRunContext.seeded(3);
            done = new FirstRun(model, before, run(defense(), model, ctx), ctx);
            FIRST_RUNS.put(getClass(), done);
        }
        return done;
    }

    @Test
    void runs_on_exactly_the_data_its_contract_declares_and_reaches_100_percent() throws Exception {
        FirstRun first = firstRun();
        assertNotNull(first.result().purified(), "a defense returns a model");
        assertEquals(first.input().info().numClasses(), first.result().purified().info().numClasses());
        List<Double> progress = first.ctx().progress();
        assertFalse(progress.isEmpty(), "the defense reports progress");
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9, "progress reaches 100 %");
    }

    @Test
    void the_input_model_is_never_changed() throws Exception {
        FirstRun first = firstRun();
        assertArrayEquals(first.inputBefore(), ModelBytes.of(first.input()), "the input model was modified: copy it first");
        assertFalse(first.result().purified() == first.input(), "the result is a new model, not the input");
    }

    @Test
    void the_same_seed_gives_the_same_model() throws Exception {
        byte[] first = ModelBytes.arrays(firstRun().result().purified());
        byte[] second = ModelBytes.arrays(run(defense(), model(), RecordingRunContext.seeded(3)).purified());
        assertArrayEquals(first, second, "two runs with seed 3 gave different models: draw randomness from ctx.seed()");
    }

    @Test
    void a_model_it_cannot_use_and_data_that_does_not_fit_are_refused_clearly() {
        Defense defense = defense();
        Model model = model();
        DataContract contract = defense.dataContract();
        ResolvedParams params = defense.parameters().resolve(quickParams());
        if (!acceptsAnyModel()) {
            Model foreign = new Model() {
                @Override
                public ModelInfo info() {
                    return model.info();
                }

                @Override
                public INDArray logits(INDArray images) {
                    return model.logits(images);
                }
            };
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> defense.purify(foreign, contractData(contract), params, RecordingRunContext.seeded(1)),
                    "a model that is not an engine model is refused with an InvalidInputException");
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "the refusal says what is wrong");
        }
        if (contract.kind() == DataContract.Kind.NONE) {
            return;
        }
        ModelInfo info = model.info();
        int smaller = info.height() - 2;
        INDArray wrongSize = Nd4j.rand(new int[]{8, info.channels(), smaller, smaller});
        DefenseData misfit = contract.kind() == DataContract.Kind.LABELED_CLEAN
                ? new DefenseData(new ImageSet(wrongSize, new int[8], info.classNames()), null, "8 images of the wrong size")
                : new DefenseData(null, new UnlabeledImages(wrongSize), "8 images of the wrong size");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> defense.purify(model, misfit, params, RecordingRunContext.seeded(1)),
                info.channels() + "x" + smaller + "x" + smaller + " images for a model on " + info.inputShape()
                        + " are refused with an InvalidInputException");
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "the refusal says what is wrong");
    }

    @Test
    void cancellation_is_honoured_within_a_few_batches() throws IOException {
        Model model = model();
        byte[] before = ModelBytes.of(model);
        RecordingRunContext ctx = RecordingRunContext.seeded(3).cancelAfter(cancelAfterChecks());
        assertThrows(RunCancelledException.class, () -> run(defense(), model, ctx),
                "the defense must call ctx.checkCancelled() at least every batch");
        assertEquals(cancelAfterChecks(), ctx.cancellationChecks(), "the defense stopped at the cancelling check");
        assertArrayEquals(before, ModelBytes.of(model), "a cancelled defense leaves the input model unchanged");
    }
}
