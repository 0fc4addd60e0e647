package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final byte[] OLD = key(1);
    private static final byte[] NEW = key(2);

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    @Test
    void shouldSealWithARandomNonceAndOpenWithTheSameIdAsAssociatedData() throws Exception {
        SecretCipher cipher = new SecretCipher(Map.of("k2", NEW), "k2");
        SecretCipher.Sealed a = cipher.seal("a-long-shared-secret", "team-a");
        SecretCipher.Sealed b = cipher.seal("a-long-shared-secret", "team-a");
        assertEquals("k2", a.keyId());
        assertEquals(12, Base64.getDecoder().decode(a.nonce()).length, "a 96-bit nonce");
        assertEquals("a-long-shared-secret".length() + 16, Base64.getDecoder().decode(a.ciphertext()).length,
                "the ciphertext carries a 128-bit tag");
        assertNotEquals(a.nonce(), b.nonce());
        assertNotEquals(a.ciphertext(), b.ciphertext());
        assertFalse(new String(Base64.getDecoder().decode(a.ciphertext()), StandardCharsets.ISO_8859_1)
                .contains("shared"));
        assertEquals("a-long-shared-secret", cipher.open(a, "team-a"));
        assertEquals("a-long-shared-secret", cipher.open(b, "team-a"));
    }

    @Test
    void shouldRefuseACiphertextMovedToAnotherRecordOrAltered() {
        SecretCipher cipher = new SecretCipher(Map.of("k2", NEW), "k2");
        SecretCipher.Sealed sealed = cipher.seal("a-long-shared-secret", "team-a");
        var moved = assertThrows(SecretCipher.Unsealable.class, () -> cipher.open(sealed, "team-b"));
        assertFalse(moved.unknownKey());
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[0] ^= 1;
        SecretCipher.Sealed altered = new SecretCipher.Sealed("k2", sealed.nonce(),
                Base64.getEncoder().encodeToString(bytes));
        assertFalse(assertThrows(SecretCipher.Unsealable.class, () -> cipher.open(altered, "team-a")).unknownKey());
        SecretCipher.Sealed garbage = new SecretCipher.Sealed("k2", "not base64!", null);
        assertThrows(SecretCipher.Unsealable.class, () -> cipher.open(garbage, "team-a"));
    }

    @Test
    void shouldOpenSecretsOfAnOldKeyAfterARotationAndSealWithTheCurrentOne() throws Exception {
        SecretCipher before = new SecretCipher(Map.of("k1", OLD), "k1");
        SecretCipher.Sealed old = before.seal("sealed-before-rotation", "team-a");
        SecretCipher after = new SecretCipher(Map.of("k1", OLD, "k2", NEW), "k2");
        assertEquals("sealed-before-rotation", after.open(old, "team-a"));
        assertEquals("k2", after.seal("x", "team-a").keyId());
        SecretCipher withoutOld = new SecretCipher(Map.of("k2", NEW), "k2");
        assertTrue(assertThrows(SecretCipher.Unsealable.class, () -> withoutOld.open(old, "team-a")).unknownKey());
    }

    @Test
    void shouldReadTheKeyRingFromConfigurationAndNameWhatIsWrong() throws Exception {
        String oldEntry = "k1:" + Base64.getEncoder().encodeToString(OLD);
        String newEntry = "k2:" + Base64.getEncoder().encodeToString(NEW);
        assertEquals(Optional.empty(), SecretCipher.fromConfig(List.of(), Optional.empty()));
        assertEquals("k2", SecretCipher.fromConfig(List.of(newEntry, oldEntry), Optional.empty()).get()
                .currentKeyId(), "the first listed by default");
        SecretCipher ring = SecretCipher.fromConfig(List.of(newEntry, oldEntry), Optional.of("k1")).get();
        assertEquals("k1", ring.currentKeyId());
        assertEquals("x", ring.open(ring.seal("x", "id"), "id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(List.of(newEntry),
                Optional.of("k9"))).getMessage().contains("k9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(
                List.of("k3:" + Base64.getEncoder().encodeToString(new byte[16])), Optional.empty()))
                .getMessage().contains("256"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(List.of("k3:%%%"),
                Optional.empty())).getMessage().contains("base64"));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(List.of("no-colon"),
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.fromConfig(List.of(newEntry, newEntry),
                Optional.empty()));
    }
}
