package io.purifier.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PluginPropertiesTest {

    @Test
    void the_kind_constants_are_the_json_names_of_the_plugin_kinds() {
        List<String> constants = List.of(PluginProperties.KIND_MODEL_FORMAT, PluginProperties.KIND_DATASET,
                PluginProperties.KIND_ATTACK, PluginProperties.KIND_DEFENSE, PluginProperties.KIND_METRIC);
        assertEquals(Stream.of(PluginKind.values()).map(PluginKind::jsonName).toList(), constants);
        for (PluginKind kind : PluginKind.values()) {
            assertEquals(kind.jsonName(), PluginProperties.kindValue(kind));
        }
    }

    @Test
    void the_property_names_are_those_the_annotation_writes() {
        assertEquals("purifier.id", PluginProperties.ID);
        assertEquals("purifier.kind", PluginProperties.KIND);
        assertEquals(PluginProperties.PREFIX, PurifierPlugin.PREFIX_);
    }
}
