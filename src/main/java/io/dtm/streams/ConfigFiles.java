package io.dtm.streams;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the service's declarative configuration files (indicator catalogue, models, datasets, alert rules): a
 * classpath resource or a path, YAML (or JSON, which YAML reads too) into a record, unknown fields refused. The one
 * place such a file is read, so that every one fails with the same clear errors, each naming the file.
 */
public final class ConfigFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigFiles() {
    }

    /**
     * The bytes at {@code classpath:<resource>} or at a file path.
     *
     * @param what what the file is, for the error message (e.g. "indicator catalogue")
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public static byte[] read(String location, String what) {
        try {
            if (location.startsWith("classpath:")) {
                try (InputStream in = ConfigFiles.class.getClassLoader()
                        .getResourceAsStream(location.substring("classpath:".length()))) {
                    if (in == null) {
                        throw new IllegalArgumentException(what + " " + location + " not found");
                    }
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(Path.of(location));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " " + location + ": " + firstLine(e), e);
        }
    }

    /**
     * The YAML (or JSON) {@code text} as a {@code type}.
     *
     * @param origin where the text comes from (a location, or a description), for the error message
     * @param what   what the file is, for the error message
     * @throws IllegalArgumentException {@code <what> <origin>: unknown field 'f' at <path>}, {@code <what> <origin>
     *                                  is not valid YAML: …} or {@code <what> <origin> is invalid: …} (a value of
     *                                  the wrong type or form)
     */
    public static <T> T parse(byte[] text, String origin, String what, Class<T> type) {
        try {
            return YAML.readValue(text, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(what + " " + origin + ": unknown field '" + e.getPropertyName()
                    + "' at " + e.getPathReference(), e);
        } catch (IOException e) {
            String why = syntax(e) ? " is not valid YAML: " : " is invalid: ";
            throw new IllegalArgumentException(what + " " + origin + why + firstLine(e), e);
        }
    }

    /** Whether the text could not be parsed (rather than mapped): the parser's error, or one the mapping wrapped. */
    private static boolean syntax(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException || t instanceof YAMLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and parses the file at {@code location} ({@code classpath:<resource>} or a path) as a {@code type}.
     *
     * @throws IllegalArgumentException as {@link #read} and {@link #parse} do
     */
    public static <T> T load(String location, String what, Class<T> type) {
        return parse(read(location, what), location, what, type);
    }

    /**
     * Fails when a file's validation found {@code problems}.
     *
     * @throws IllegalArgumentException {@code <what> <origin> is invalid:} and every problem on a line of its own
     */
    public static void check(List<String> problems, String origin, String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " " + origin + " is invalid:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }
}
