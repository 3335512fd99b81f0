package io.purifier.api;

import org.osgi.service.component.annotations.ComponentPropertyType;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The plugin contract as a Declarative Services component property type (in the spirit of Felix Health Checks'
 * {@code @HealthCheckService}): put it next to {@code @Component} and bnd writes the service properties
 * {@value PluginProperties#ID} and {@value PluginProperties#KIND} into the component description.
 *
 * <pre>{@code
 * @Component(service = Defense.class)
 * @PurifierPlugin(id = MyDefense.ID, kind = PluginProperties.KIND_DEFENSE)
 * public final class MyDefense implements Defense { public static final String ID = "my-defense"; ... }
 * }</pre>
 *
 * <p>{@link #id()} must equal the service's {@link Plugin#id()} (the testkit's contract tests check it), and
 * {@link #kind()} must name the interface the component is registered under.</p>
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PurifierPlugin {

    /** Maps the elements to {@code purifier.id} and {@code purifier.kind}. */
    String PREFIX_ = PluginProperties.PREFIX;

    /** The plugin id ({@value PluginProperties#ID}), equal to {@link Plugin#id()}. */
    String id();

    /** The plugin kind ({@value PluginProperties#KIND}): one of the {@code PluginProperties.KIND_*} constants. */
    String kind();
}
