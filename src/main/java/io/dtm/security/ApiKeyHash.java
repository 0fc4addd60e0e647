package io.dtm.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A salted hash of an API key, {@code sha256:<salt>:<digest>} with {@code digest} = hex SHA-256 of
 * {@code "<salt>:<key>"}. Keys are long random strings, so one salted SHA-256 suffices (a password hash is for
 * secrets people choose); {@link #matches} compares in constant time.
 */
public final class ApiKeyHash {

    private static final Pattern FORMAT = Pattern.compile("sha256:([0-9a-f]{16,128}):([0-9a-f]{64})");
    private static final HexFormat HEX = HexFormat.of();

    private final String salt;
    private final byte[] digest;

    private ApiKeyHash(String salt, byte[] digest) {
        this.salt = salt;
        this.digest = digest;
    }

    /** Reads {@code sha256:<salt>:<digest>}; the message never repeats the text (it may be a key pasted by mistake). */
    public static ApiKeyHash parse(String text) {
        var m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not sha256:<salt: 16 to 128 hex digits>:<digest: 64 hex digits>");
        }
        return new ApiKeyHash(m.group(1), HEX.parseHex(m.group(2)));
    }

    /** The hash of {@code key} with a new random salt, as configuration takes it. */
    public static String of(String key) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String s = HEX.formatHex(salt);
        return "sha256:" + s + ":" + HEX.formatHex(sha256(s + ":" + key));
    }

    /** Whether {@code key} is the key hashed here (constant time in the digest). */
    public boolean matches(String key) {
        return MessageDigest.isEqual(digest, sha256(salt + ":" + key));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Prints the hash of the key given as the argument (or read from standard input), for configuration. */
    public static void main(String[] args) throws Exception {
        String key = args.length > 0 ? args[0]
                : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        System.out.println(of(key));
    }
}
