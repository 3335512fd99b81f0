package io.purifier.server.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.purifier.api.InvalidInputException;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.PurifierServer;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.run.RunRecorder;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class WorkerEventsTest {

    final ObjectMapper json = PurifierServer.objectMapper();
    final WorkerEvents events = new WorkerEvents(json);
    final RunRecorder target = mock(RunRecorder.class);

    @Test
    void every_report_survives_the_wire_in_order() throws Exception {
        var params = json.createObjectNode().put("epochs", 2);
        var summary = json.createObjectNode().put("cacheHit", false);
        List<MetricValue> values = List.of(MetricValue.fraction("ASR", 0.25, MetricValue.Direction.LOWER_IS_BETTER));
        ArrayNode batch = json.createArrayNode()
                .add(events.runStarted(json.createObjectNode().put("seed", 7)))
                .add(events.stepStarted(2, params, new BundleIdentity("io.x", "1.0.0", 4, "cafe")))
                .add(events.stepProgress(2, 0.5, "epoch 1/2"))
                .add(events.runProgress(0.4, 2, "step 3/4"))
                .add(events.log(null, "WARN", "run-level line"))
                .add(events.log(2, "INFO", "step line"))
                .add(events.curvePoint(2, "loss/L1", 1, 0.5))
                .add(events.metrics(2, "asr", values))
                .add(events.cacheEntry(2, "a".repeat(64), "badnets on x"))
                .add(events.stepFinished(2, StepStatus.SUCCEEDED, null, summary))
                .add(events.provenance(json.createObjectNode().put("seed", 7)));
        events.apply(json.readTree(batch.toString()), 4, target);
        InOrder order = inOrder(target);
        order.verify(target).runStarted(json.createObjectNode().put("seed", 7));
        order.verify(target).stepStarted(2, params, new BundleIdentity("io.x", "1.0.0", -1, "cafe"));
        order.verify(target).stepProgress(2, 0.5, "epoch 1/2");
        order.verify(target).runProgress(0.4, 2, "step 3/4");
        order.verify(target).log(null, "WARN", "run-level line");
        order.verify(target).log(2, "INFO", "step line");
        order.verify(target).curvePoint(2, "loss/L1", 1, 0.5);
        order.verify(target).metrics(2, "asr", values);
        order.verify(target).cacheEntry(2, "a".repeat(64), "badnets on x");
        order.verify(target).stepFinished(2, StepStatus.SUCCEEDED, null, summary);
        order.verify(target).provenance(json.createObjectNode().put("seed", 7));
    }

    private String problem(String eventJson) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> events.apply(json.readTree("[{\"type\": \"log\", \"level\": \"INFO\", \"message\": \"ok\"}, " + eventJson + "]"), 4, target));
        verify(target, never()).log(any(), anyString(), anyString());
        return e.getMessage();
    }

    @Test
    void a_malformed_event_is_named_and_nothing_of_its_batch_is_applied() {
        assertEquals("events[1].type: unknown event type 'shout' (runStarted, provenance, runProgress, stepStarted, stepProgress, "
                + "stepFinished, log, curve, metrics, cacheEntry)", problem("{\"type\": \"shout\"}"));
        assertEquals("events[1].step: 4 is not a step of this run (it has 4)",
                problem("{\"type\": \"curve\", \"step\": 4, \"series\": \"s\", \"x\": 1, \"y\": 1}"));
        assertEquals("events[1].y: required finite number", problem("{\"type\": \"curve\", \"step\": 0, \"series\": \"s\", \"x\": 1, \"y\": \"NaN\"}"));
        assertEquals("events[1].level: must be one of [ERROR, INFO, WARN]", problem("{\"type\": \"log\", \"level\": \"DEBUG\", \"message\": \"m\"}"));
        assertEquals("events[1].status: 'RUNNING' is not a final step status (SUCCEEDED, FAILED, CANCELLED)",
                problem("{\"type\": \"stepFinished\", \"step\": 1, \"status\": \"RUNNING\"}"));
        assertEquals("events[1].progress: 1.5 is outside [0, 1]", problem("{\"type\": \"stepProgress\", \"step\": 1, \"progress\": 1.5}"));
        assertEquals("events[1].values[0].direction: 'UP' is not one of HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL",
                problem("{\"type\": \"metrics\", \"step\": 1, \"metric\": \"m\", \"values\": [{\"name\": \"A\", \"value\": 1, \"direction\": \"UP\"}]}"));
        assertEquals("events[1].key: must be 64 lower-case hex digits",
                problem("{\"type\": \"cacheEntry\", \"step\": 1, \"key\": \"../etc\", \"description\": \"d\"}"));
        verify(target, never()).curvePoint(anyInt(), anyString(), anyDouble(), anyDouble());
    }

    @Test
    void a_batch_must_be_an_array() {
        assertEquals("events must be an array", assertThrows(InvalidInputException.class,
                () -> events.apply(json.createObjectNode(), 4, target)).getMessage());
    }
}
