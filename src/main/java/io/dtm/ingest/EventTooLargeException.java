package io.dtm.ingest;

/** An event does not fit in a Kafka record (the producer's {@code max.request.size} or the topic's limit): HTTP 413. */
public final class EventTooLargeException extends Exception {

    public EventTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
