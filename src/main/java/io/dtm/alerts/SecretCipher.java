package io.dtm.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts subscription secrets at rest (AES-256-GCM, a random 96-bit nonce per write, a 128-bit tag) with the
 * current key of a key ring, and decrypts with any key of the ring by the id stored beside the ciphertext, so
 * that keys can be rotated: add a new key as the current one and keep the old ones until every record has been
 * written again. The associated data (the subscription id) binds a ciphertext to its record. Pure: no I/O.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    /** A secret as stored: the id of the key, the nonce and the ciphertext with its tag (both base64). */
    public record Sealed(String keyId, String nonce, String ciphertext) {
    }

    /** A secret that cannot be decrypted: its key is not in the ring, or the record was altered. */
    public static final class Unsealable extends Exception {
        private final boolean unknownKey;

        Unsealable(String message, boolean unknownKey) {
            super(message);
            this.unknownKey = unknownKey;
        }

        /** Whether the key id is not in the ring (rather than a ciphertext that does not authenticate). */
        public boolean unknownKey() {
            return unknownKey;
        }
    }

    private final Map<String, SecretKeySpec> keys;
    private final String currentId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keys      key id → 256-bit key
     * @param currentId the id of the key new secrets are encrypted with
     */
    public SecretCipher(Map<String, byte[]> keys, String currentId) {
        if (!keys.containsKey(currentId)) {
            throw new IllegalArgumentException("the current key id " + currentId + " is not among the keys "
                    + keys.keySet());
        }
        Map<String, SecretKeySpec> ring = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key " + id + " has " + key.length * 8 + " bits; 256 are needed");
            }
            ring.put(id, new SecretKeySpec(key, "AES"));
        });
        this.keys = Map.copyOf(ring);
        this.currentId = currentId;
    }

    /**
     * The ring of {@code dtm.alerts.secret-keys} ({@code <id>:<base64 of 32 bytes>} entries) with
     * {@code currentId} (the first entry when absent) as the current key; empty without entries.
     *
     * @throws IllegalArgumentException with what is wrong in the configuration
     */
    public static Optional<SecretCipher> fromConfig(List<String> entries, Optional<String> currentId) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("dtm.alerts.secret-keys: each entry is <id>:<base64 key>");
            }
            String id = entry.substring(0, colon).trim();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dtm.alerts.secret-keys: the key " + id + " is not base64");
            }
            if (keys.put(id, key) != null) {
                throw new IllegalArgumentException("dtm.alerts.secret-keys: the key id " + id + " is given twice");
            }
        }
        try {
            return Optional.of(new SecretCipher(keys, currentId.orElse(keys.keySet().iterator().next())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dtm.alerts.secret-keys: " + e.getMessage());
        }
    }

    /** The id of the key new secrets are encrypted with. */
    public String currentKeyId() {
        return currentId;
    }

    /** {@code secret} encrypted with the current key, bound to {@code associatedData}. */
    public Sealed seal(String secret, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new Sealed(currentId, b64.encodeToString(nonce), b64.encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** The secret of {@code sealed}, which must have been sealed with {@code associatedData}. */
    public String open(Sealed sealed, String associatedData) throws Unsealable {
        SecretKeySpec key = sealed.keyId() == null ? null : keys.get(sealed.keyId());
        if (key == null) {
            throw new Unsealable("unknown key id " + sealed.keyId(), true);
        }
        try {
            byte[] nonce = Base64.getDecoder().decode(sealed.nonce());
            if (nonce.length != NONCE_BYTES) {
                throw new Unsealable("a nonce of " + nonce.length + " bytes", false);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new Unsealable("does not decrypt with key " + sealed.keyId() + " (altered or not its record)",
                    false);
        }
    }
}
