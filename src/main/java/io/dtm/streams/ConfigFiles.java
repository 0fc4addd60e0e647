package io.dtm.streams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the service's declarative configuration files (catalogue, models, rules): a classpath resource or a path. */
public final class ConfigFiles {

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
            throw new IllegalArgumentException("cannot read the " + what + " " + location + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
