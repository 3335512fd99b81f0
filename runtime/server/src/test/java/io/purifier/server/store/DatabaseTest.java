package io.purifier.server.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    @Test
    void lock_and_broken_connection_failures_are_retried_but_sql_mistakes_are_not() {
        assertTrue(Database.isTransient(new SQLException("Error opening database: \"Lock file recently modified\"", "HY000", 8000)));
        assertTrue(Database.isTransient(new SQLException("Database may be already in use", "90020", 90020)));
        assertTrue(Database.isTransient(new SQLException("Connection is broken: \"session closed\"", "90067", 90067)));
        assertFalse(Database.isTransient(new SQLException("Syntax error in SQL statement", "42000", 42000)));
        assertFalse(Database.isTransient(new SQLException("Unique index or primary key violation", "23505", 23505)));
    }
}
