package io.dtm.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of the World Bank API v2 in JSON: {@code [meta, data]}, where meta carries the paging ({@code page},
 * {@code pages}, {@code per_page}, {@code total}) and {@code lastupdated} (the vintage), and data the figures
 * ({@code value: null} = missing). The API reports errors with status 200 as {@code [{"message": [...]}]}: that is
 * an {@link ImportException} naming the API's message. Items are read one at a time.
 */
final class WorldBankJsonReader implements FigureReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void read(InputStream in, FigureSink sink) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ImportException("not a World Bank API v2 answer: it must be a JSON array [meta, data]");
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ImportException("not a World Bank API v2 answer: its first element must be an object");
            }
            JsonNode meta = JSON.readTree(parser);
            if (meta.has("message")) {
                throw new ImportException("the World Bank API answered with an error: " + messages(meta.get("message")));
            }
            String updated = meta.path("lastupdated").asText("");
            if (!updated.isEmpty()) {
                LocalDate vintage = Csv.date(updated);
                if (vintage == null) {
                    throw new ImportException("World Bank API: lastupdated '" + Csv.clip(updated)
                            + "' is not a date");
                }
                sink.vintage(vintage);
            }
            sink.page(meta.path("page").asInt(1), meta.path("pages").asInt(1), meta.path("per_page").asInt(0),
                    meta.path("total").asLong(-1));
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL || token == JsonToken.END_ARRAY) {
                return; // an answer with no rows
            }
            if (token != JsonToken.START_ARRAY) {
                throw new ImportException("not a World Bank API v2 answer: its second element must be the data array");
            }
            long item = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                item++;
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode row = JSON.readTree(parser);
                figure(row, item, line, sink);
            }
        }
    }

    private static void figure(JsonNode row, long item, long line, FigureSink sink) {
        String raw = Csv.clip(row.toString());
        String code = row.path("indicator").path("id").asText("");
        String area = row.path("countryiso3code").asText("");
        if (area.isEmpty()) {
            area = row.path("country").path("id").asText("");
        }
        String date = row.path("date").asText("");
        if (code.isEmpty() || area.isEmpty() || date.isEmpty()) {
            sink.reject(new Reject(line, raw, "item " + item + ": needs indicator.id, countryiso3code and date"));
            return;
        }
        JsonNode value = row.get("value");
        BigDecimal number;
        if (value == null || value.isNull() || value.isTextual() && Csv.missing(value.asText())) {
            number = null;
        } else if (value.isNumber()) {
            number = value.decimalValue();
        } else {
            try {
                number = new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                sink.reject(new Reject(line, raw, "item " + item + ": value " + Csv.clip(value.toString())
                        + " is not a number"));
                return;
            }
        }
        String status = row.path("obs_status").asText("");
        sink.figure(new Figure(line, null, code, area, date, number, status.isEmpty() ? null : status,
                Figure.Action.UPSERT, raw));
    }

    private static String messages(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        for (JsonNode m : messages) {
            texts.add((m.path("id").asText("") + " " + m.path("key").asText("") + ": " + m.path("value").asText(""))
                    .trim());
        }
        return Csv.clip(String.join("; ", texts));
    }
}
