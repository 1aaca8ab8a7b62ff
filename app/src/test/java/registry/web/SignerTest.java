package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Signed values: what one key signs for one purpose passes for nothing else. */
@Tag("sqlite-only")
class SignerTest {
    private final Signer signer = new Signer(() -> "a-secret-key");

    @Test
    void a_sealed_value_unseals_to_itself() {
        assertThat(signer.unseal("flash", signer.seal("flash", "Saved user ada. ✓"))).contains("Saved user ada. ✓");
    }

    @Test
    void a_tampered_value_or_signature_does_not_unseal() {
        String sealed = signer.seal("flash", "hello");
        String value = sealed.substring(0, sealed.indexOf('.'));
        String signature = sealed.substring(sealed.indexOf('.') + 1);

        assertThat(signer.unseal("flash", Signer.encode("hellO".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + signature)).isEmpty();
        assertThat(signer.unseal("flash", value + "." + signature.substring(1) + "A")).isEmpty();
        assertThat(signer.unseal("flash", value)).isEmpty();
        assertThat(signer.unseal("flash", "%%%." + signature)).isEmpty();
        assertThat(signer.unseal("flash", null)).isEmpty();
    }

    @Test
    void a_signature_for_one_purpose_or_key_does_not_pass_for_another() {
        String sealed = signer.seal("csrf", "token");

        assertThat(signer.unseal("flash", sealed)).isEmpty();
        assertThat(new Signer(() -> "another-key").unseal("csrf", sealed)).isEmpty();
        assertThat(signer.verify("csrf", "token", signer.sign("csrf", "token"))).isTrue();
        assertThat(signer.verify("csrf", "token", null)).isFalse();
    }
}
