package registry.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Password hashes, and the memory the hashing keeps between them. */
class PasswordsTest {
    private static final long MIB = 1024 * 1024;

    /** The heap in use after a full collection (what the process keeps, not what it has yet to collect). */
    private static long kept() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a concurrent allocation can land between the collection and the reading
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    @Test
    void a_lean_hash_function_gives_the_same_hashes_and_lets_its_block_memory_go() {
        // Settings no other test uses: the library caches its instances by setting, for good.
        Argon2Function argon2 = Argon2Function.getInstance(10_240, 1, 1, 32, Argon2.ID, 19);
        byte[] salt = "sixteen byte salt".getBytes(StandardCharsets.US_ASCII);
        String before = argon2.hash("correct horse battery staple".getBytes(StandardCharsets.UTF_8), salt).getResult();
        long held = kept();

        assertThat(Passwords.lean(argon2)).isSameAs(argon2);
        long lean = kept();
        String after = argon2.hash("correct horse battery staple".getBytes(StandardCharsets.UTF_8), salt).getResult();

        assertThat(after).isEqualTo(before);
        assertThat(argon2.check("correct horse battery staple", after)).isTrue();
        assertThat(argon2.check("correct horse battery stable", after)).isFalse();
        assertThat(held - lean).as("heap let go, bytes (the instance held 10 MiB of blocks)").isGreaterThan(9 * MIB);
    }

    @Test
    void hashes_made_today_are_checked_and_not_outdated() {
        String hash = Passwords.hash("otter-minus-42-plum-tidy");

        assertThat(Passwords.matches("otter-minus-42-plum-tidy", hash)).isTrue();
        assertThat(Passwords.matches("otter-minus-42-plum-tide", hash)).isFalse();
        assertThat(Passwords.outdated(hash)).isFalse();
        assertThat(hash).contains("$m=7168,t=5,p=1$");
        assertThat(Passwords.outdated(hash.replace("$m=7168,t=5,", "$m=12288,t=3,"))).as("the setting before 2026-12-03").isTrue();
    }
}
