package io.dtm.ingest;

/** Kafka did not take the records in time; the client should retry later (HTTP 503). */
public final class KafkaUnavailableException extends Exception {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
