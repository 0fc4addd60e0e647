package io.dtm.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * {@code alerts-check-rules}: a record of {@code dtm.alert-rules.v1} → the version of the rule it holds (its
 * offset), or its deletion. One that is not a valid rule under its key throws, so that the processing exception
 * handler dead-letters it and the stream goes on.
 */
final class RuleCheck implements FixedKeyProcessor<String, ObjectNode, RuleVersion> {

    private FixedKeyProcessorContext<String, RuleVersion> context;

    @Override
    public void init(FixedKeyProcessorContext<String, RuleVersion> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, ObjectNode> record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("an alert rule record without a key");
        }
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElseThrow();
        RuleVersion version = record.value() == null ? new RuleVersion(offset, null, true)
                : new RuleVersion(offset, AlertRules.read(record.key(), record.value()), false);
        context.forward(record.withValue(version));
    }
}
