package io.purifier.server.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds of a record component, written into its JSON Schema ({@code minimum}, {@code exclusiveMinimum},
 * {@code maximum}, {@code maxLength}) by {@link JsonSchemaGenerator} and enforced by {@link JsonSchemaValidator}.
 * Numbers are decimal text so that 64-bit bounds stay exact; an empty text means "no bound".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface SchemaBounds {

    /** Inclusive lower bound of a number, or empty. */
    String minimum() default "";

    /** Exclusive lower bound of a number, or empty. */
    String exclusiveMinimum() default "";

    /** Inclusive upper bound of a number, or empty. */
    String maximum() default "";

    /** Longest text in characters, or -1 for no limit. */
    int maxLength() default -1;
}
