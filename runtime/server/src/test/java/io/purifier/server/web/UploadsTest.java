package io.purifier.server.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadsTest {

    @Test
    void plain_names_pass_with_unusual_characters_replaced() {
        assertEquals("my_model.h5", Uploads.plainName("my model.h5", "x"));
        assertEquals("fallback.bin", Uploads.plainName(null, "fallback.bin"));
        assertEquals("fallback.bin", Uploads.plainName("", "fallback.bin"));
        assertNull(Uploads.plainNameProblem("a.b-c_d"));
    }

    @Test
    void names_that_are_not_plain_are_refused_with_the_reason() {
        assertTrue(Uploads.plainNameProblem("/").contains("directory separator"));
        assertTrue(Uploads.plainNameProblem("//").contains("directory separator"));
        assertTrue(Uploads.plainNameProblem("a\\b").contains("directory separator"));
        assertTrue(Uploads.plainNameProblem("a\u0000b").contains("NUL"));
        assertTrue(Uploads.plainNameProblem("..").contains("names a directory"));
        assertTrue(Uploads.plainNameProblem(".hidden").contains("hidden"));
        assertTrue(Uploads.plainNameProblem(" ").contains("blank"));
        assertTrue(Uploads.plainNameProblem("x".repeat(201)).contains("longer than 200"));
        ApiException e = assertThrows(ApiException.class, () -> Uploads.plainName("a\u0000b", "x"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'a\\u0000b'"), e.getMessage());
    }
}
