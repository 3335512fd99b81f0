package io.purifier.server.osgi;

import io.purifier.api.PluginKind;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class PluginServicePropertiesTest {

    private static ServiceReference<?> ref(Object id, Object kind) {
        ServiceReference<?> ref = mock(ServiceReference.class);
        when(ref.getProperty("purifier.id")).thenReturn(id);
        when(ref.getProperty("purifier.kind")).thenReturn(kind);
        return ref;
    }

    @Test
    void matching_properties_follow_the_contract() {
        assertEquals(Optional.empty(), PluginServiceProperties.problem(ref("ft", "defense"), PluginKind.DEFENSE, "ft"));
        assertEquals(Optional.of("ft"), PluginServiceProperties.id(ref("ft", "defense")));
    }

    @Test
    void a_missing_id_property_is_named_with_the_annotation_to_use() {
        String problem = PluginServiceProperties.problem(ref(null, "defense"), PluginKind.DEFENSE, "ft").orElseThrow();
        assertTrue(problem.contains("no service property purifier.id"), problem);
        assertTrue(problem.contains("@PurifierPlugin(id = \"ft\", kind = \"defense\")"), problem);
        assertEquals(Optional.empty(), PluginServiceProperties.id(ref(42, "defense")));
    }

    @Test
    void an_id_property_other_than_id_is_refused() {
        String problem = PluginServiceProperties.problem(ref("ft2", "defense"), PluginKind.DEFENSE, "ft").orElseThrow();
        assertTrue(problem.contains("purifier.id=ft2, which differs from its id() 'ft'"), problem);
    }

    @Test
    void a_kind_property_other_than_the_registered_interface_is_refused() {
        String problem = PluginServiceProperties.problem(ref("ft", "attack"), PluginKind.DEFENSE, "ft").orElseThrow();
        assertTrue(problem.contains("purifier.kind=attack but is registered as a Defense"), problem);
    }
}
