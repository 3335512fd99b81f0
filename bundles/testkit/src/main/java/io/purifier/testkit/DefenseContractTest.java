package io.purifier.testkit;

import io.purifier.api.PluginProperties;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunCancelledException;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * {@link #cancelAfterChecks()} checks. The fixture is a tiny backdoored CNN ({@link TinyModels#backdooredCnn}) and
 * quadrant images ({@link TinyData#quadrants}); override {@link #model()} and {@link #labeledData()} for others.
 */
public abstract class DefenseContractTest {

    /** A new instance of the defense under test (as Declarative Services would create it). */
    protected abstract Defense defense();

    /** Parameters (over the defaults) that keep a run to a second or two; none by default. */
    protected Map<String, Object> quickParams() {
        return Map.of();
    }

    private static EngineModel backdoored;

    /** The possibly backdoored model handed to the defense; a fresh copy per call (trained once per JVM). */
    protected Model model() {
        synchronized (DefenseContractTest.class) {
            if (backdoored == null) {
                backdoored = TinyModels.backdooredCnn(7, true);
            }
            return backdoored.copy();
        }
    }

    /** Clean labeled images that fit {@link #model()}. */
    protected io.purifier.api.data.ImageSet labeledData() {
        return TinyData.quadrants(11, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    /** After how many {@code checkCancelled()} calls the cancellation test cancels (2 = within the second batch). */
    protected long cancelAfterChecks() {
        return 2;
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

    @Test
    void runs_on_exactly_the_data_its_contract_declares_and_reaches_100_percent() throws Exception {
        Defense defense = defense();
        Model model = model();
        RecordingRunContext ctx = RecordingRunContext.seeded(3);
        DefenseResult result = run(defense, model, ctx);
        assertNotNull(result.purified(), "a defense returns a model");
        assertEquals(model.info().numClasses(), result.purified().info().numClasses());
        assertFalse(ctx.progress().isEmpty(), "the defense reports progress");
        assertEquals(1.0, ctx.progress().get(ctx.progress().size() - 1), 1e-9, "progress reaches 100 %");
    }

    @Test
    void the_input_model_is_never_changed() throws Exception {
        Model model = model();
        byte[] before = ModelBytes.of(model);
        DefenseResult result = run(defense(), model, RecordingRunContext.seeded(3));
        assertArrayEquals(before, ModelBytes.of(model), "the input model was modified: copy it first");
        assertFalse(result.purified() == model, "the result is a new model, not the input");
    }

    @Test
    void the_same_seed_gives_the_same_model() throws Exception {
        Model model = model();
        byte[] first = ModelBytes.arrays(run(defense(), model, RecordingRunContext.seeded(5)).purified());
        byte[] second = ModelBytes.arrays(run(defense(), model, RecordingRunContext.seeded(5)).purified());
        assertArrayEquals(first, second, "two runs with seed 5 gave different models: draw randomness from ctx.seed()");
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
