package io.mhaserverless.core.mysql;

/** A statement and the form of it that may be logged: the same text with any password masked. */
public record Sql(String text, String loggable) {

    public static Sql plain(String text) {
        return new Sql(text, text);
    }

    /** A SQL string literal: quotes and backslashes escaped for MySQL and MariaDB alike. */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return loggable;
    }
}
