package io.dtm.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a JSON request body into a record field by field, without any of Jackson's lenient coercions (no number
 * where a string goes, no string where a number goes, no fraction into a whole number, no {@code null} inside a
 * list or as a map value), and names every unknown or mistyped field: {@code "<field>: <what is wrong>"}, the
 * problems {@link Problems#invalid} answers with.
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = strictMapper();

    private StrictJson() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /**
     * The record {@code type} read from {@code body}, or empty with every problem added to {@code problems}: the
     * body is not a JSON object, a field is not one of the record's, or a field's value is not of its type.
     */
    public static <T extends Record> Optional<T> read(JsonNode body, Class<T> type, List<String> problems) {
        if (!(body instanceof ObjectNode object)) {
            problems.add("(body): a JSON object is required, was " + (body == null ? "no body"
                    : body.getNodeType().name().toLowerCase(Locale.ROOT)));
            return Optional.empty();
        }
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        Arrays.stream(type.getRecordComponents()).forEach(c -> components.put(c.getName(), c));
        int before = problems.size();
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!components.containsKey(name)) {
                problems.add(Problems.echo(name) + ": unknown field (fields: " + String.join(", ",
                        components.keySet()) + ")");
            }
        }
        for (RecordComponent component : components.values()) {
            JsonNode value = object.get(component.getName());
            if (value != null && !value.isNull() && !nullInside(component.getName(), value, problems)) {
                JavaType javaType = MAPPER.getTypeFactory().constructType(component.getGenericType());
                try {
                    MAPPER.readerFor(javaType).readValue(value);
                } catch (JacksonException e) {
                    problems.add(component.getName() + path(e) + ": " + expected(e, javaType) + ", was "
                            + Problems.echo(value.isContainerNode() ? value.getNodeType().name()
                                    .toLowerCase(Locale.ROOT) : value.toString()));
                } catch (java.io.IOException e) {
                    problems.add(component.getName() + ": " + Problems.echo(e.getMessage()));
                }
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.treeToValue(object, type));
        } catch (JacksonException e) {
            problems.add(path(e).replaceFirst("^\\.", "") + ": " + Problems.echo(e.getOriginalMessage()));
            return Optional.empty();
        }
    }

    /** Whether a list or object holds a {@code null}, each one added to {@code problems}. */
    private static boolean nullInside(String name, JsonNode value, List<String> problems) {
        boolean found = false;
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isNull()) {
                    problems.add(name + "[" + i + "]: must not be null");
                    found = true;
                }
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    problems.add(name + "." + Problems.echo(field.getKey()) + ": must not be null");
                    found = true;
                }
            }
        }
        return found;
    }

    /** Where inside a field the error is: {@code [2]} of a list, {@code .key} of an object. */
    private static String path(JacksonException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(Problems.echo(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(JacksonException e, JavaType field) {
        Class<?> target = e instanceof MismatchedInputException m && m.getTargetType() != null ? m.getTargetType()
                : e instanceof InputCoercionException c && c.getTargetType() != null ? c.getTargetType()
                : field.getRawClass();
        return "must be " + describe(target);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }
}
