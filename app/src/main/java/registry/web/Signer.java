package registry.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures with {@code secret.key}. Signed cookies and tokens carry their own proof,
 * so any instance that shares the key can check them: no server-side session, no sticky sessions.
 */
public final class Signer {
    private final Supplier<String> secret;
    private volatile SecretKeySpec key;
    /** Mac.getInstance looks the algorithm up among the providers: too slow to do per request. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });

    /**
     * @param secret gives {@code secret.key}; asked on first use, so that the app can be built
     *               while the key is still being read from a database that is being migrated
     */
    public Signer(Supplier<String> secret) {
        this.secret = secret;
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            k = new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            key = k;
        }
        return k;
    }

    /** The signature of {@code purpose} + {@code value}; the purpose keeps a token of one kind from passing as another. */
    String sign(String purpose, String value) {
        Mac mac = macs.get();
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return encode(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code signature} is that of {@code value}, compared in constant time. */
    boolean verify(String purpose, String value, String signature) {
        return signature != null && MessageDigest.isEqual(
                sign(purpose, value).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code value} and its signature in one string safe for a cookie. */
    String seal(String purpose, String value) {
        return encode(value.getBytes(StandardCharsets.UTF_8)) + "." + sign(purpose, value);
    }

    /** The value of a {@link #seal} when its signature holds. */
    Optional<String> unseal(String purpose, String sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        int dot = sealed.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            String value = new String(Base64.getUrlDecoder().decode(sealed.substring(0, dot)), StandardCharsets.UTF_8);
            return verify(purpose, value, sealed.substring(dot + 1)) ? Optional.of(value) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One generator per thread: a shared one serialises every new visitor on its lock. */
    private static final ThreadLocal<java.security.SecureRandom> RANDOM = ThreadLocal.withInitial(java.security.SecureRandom::new);

    /** 256 random bits, URL-safe, 43 characters: CSRF nonces, session ids, token and link secrets. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.get().nextBytes(bytes);
        return encode(bytes);
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
