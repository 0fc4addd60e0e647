package io.dtm.imports;

/**
 * A row that could not be read, rejected alone.
 *
 * @param line   the file line the row starts on (1-based; for JSON the line of the item)
 * @param raw    the row as text, at most {@value Csv#MAX_RAW} characters
 * @param reason why it was rejected
 */
public record Reject(long line, String raw, String reason) {
}
