package io.purifier.api.param;

/** The value types a parameter can have. JSON forms are given per constant. */
public enum ParamType {
    /** A whole number (JSON number without fraction, or a string of digits). */
    INTEGER,
    /** A real number (JSON number, or a numeric string). */
    REAL,
    /** true/false (JSON boolean, or the strings "true"/"false"). */
    BOOLEAN,
    /** Free text. */
    STRING,
    /** One of a fixed list of strings. */
    CHOICE,
    /** A list of real numbers (JSON array of numbers, or a comma-separated string). */
    REAL_LIST
}
