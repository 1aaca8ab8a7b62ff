package registry.account;

import com.nulabinc.zxcvbn.StandardDictionaries;
import com.nulabinc.zxcvbn.StandardKeyboards;
import com.nulabinc.zxcvbn.Zxcvbn;
import com.nulabinc.zxcvbn.ZxcvbnBuilder;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password rules and hashes. Argon2id at one of OWASP's equivalent settings (Password Storage
 * Cheat Sheet, 2025: m=7 MiB, t=5, p=1), through password4j, a small pure-Java library with no
 * native code. The settings with more memory (m=12 MiB, t=3; m=19 MiB, t=2) cost the same time
 * but hold more heap: a check's blocks live through the young collections its own garbage causes
 * (password4j allocates two 1 KiB arrays for every block it fills), so they are promoted, and the
 * old generation fills with them. At 7 MiB, 24 sign-ins at once took 5.2 s instead of 5.7 and left
 * 12 MiB less resident (bench/README.md). Hashes are computed at most {@link #AT_ONCE} at a time,
 * so a burst of sign-ins queues instead of exhausting the heap (and a thousand wrong passwords
 * cannot take the CPUs from everyone else).
 */
final class Passwords {
    private static final Logger LOG = LoggerFactory.getLogger(Passwords.class);
    static final int MEMORY_KIB = 7_168;
    static final int ITERATIONS = 5;
    static final int PARALLELISM = 1;
    /** Two cores: more hashes at once only queue for them. */
    private static final int AT_ONCE = 2;
    /** password4j's own field of an instance's zeroed blocks (see {@link #lean}); null once it cannot be read. */
    private static volatile Field initialBlocks = findInitialBlocks();
    private static final Argon2Function ARGON2 = lean(Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, 32, Argon2.ID, 19));
    /** The PHC prefix a hash at today's settings starts with; any other is rehashed at the next sign-in. */
    private static final String CURRENT = "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$";
    private static final Semaphore HASHING = new Semaphore(AT_ONCE, true);
    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 200;

    /** A hash of a random password, checked when the username is unknown so that answer takes as long as a wrong password. */
    private static volatile String decoy;

    private Passwords() {}

    static String hash(String password) {
        return limited(() -> Password.hash(password).addRandomSalt(16).with(ARGON2).getResult());
    }

    /** Whether {@code password} is the one {@code hash} was made from (compared in constant time by the library). */
    static boolean matches(String password, String hash) {
        return limited(() -> {
            try {
                return lean(Argon2Function.getInstanceFromHash(hash)).check(password, hash);
            } catch (RuntimeException e) {
                return false; // not a hash we made: no password matches it
            }
        });
    }

    /** Spends the time of one check on a hash of nothing: for an unknown username. */
    static void matchNothing(String password) {
        String d = decoy;
        if (d == null) {
            d = hash(Long.toHexString(System.nanoTime()) + "-decoy-" + Math.random());
            decoy = d;
        }
        matches(password, d);
    }

    /**
     * {@code argon2}, holding 28 KB instead of its memory cost (7 MiB) for as long as the library
     * keeps it, which is for the life of the process (its instances are cached by setting).
     *
     * <p>Why: password4j 1.8 gives each instance a zeroed block per KiB of memory cost, which it
     * only ever copies from: each hash starts from a new copy. Held after the first sign-in, they
     * were a third of the server's live heap (12.5 of 35 MiB). Pointing every entry at one zeroed
     * block leaves each copy the same, zeros, and lets the rest go. Should a later version name
     * its fields otherwise, this does nothing and says so once; PasswordsTest tells.
     */
    static Argon2Function lean(Argon2Function argon2) {
        Field blocks = initialBlocks;
        if (blocks == null) {
            return argon2;
        }
        try {
            long[][] rows = (long[][]) blocks.get(argon2);
            if (rows.length > 1 && rows[1] != rows[0]) {
                Arrays.fill(rows, 1, rows.length, rows[0]);
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            LOG.warn("password hashing keeps its block memory: {}", e.toString());
            initialBlocks = null;
        }
        return argon2;
    }

    private static Field findInitialBlocks() {
        try {
            Field field = Argon2Function.class.getDeclaredField("initialBlockMemory");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("password hashing keeps its block memory: {}", e.toString());
            return null;
        }
    }

    /** Whether {@code hash} was made at other settings than today's, and should be made again. */
    static boolean outdated(String hash) {
        return !hash.startsWith(CURRENT);
    }

    /**
     * What is wrong with {@code password} for {@code username}, if anything: 10–200 characters,
     * not containing the username, not a commonly used password (zxcvbn's list of 30,000 common
     * passwords, its keyboard patterns, sequences, repeats and dates; a score of 0 or 1 means
     * fewer than a million guesses).
     */
    static Optional<String> problem(String password, String username) {
        if (password == null || password.isEmpty()) {
            return Optional.of("Password is required");
        }
        if (!registry.record.Forms.isValidText(password)) {
            return Optional.of("Password must be valid Unicode text (it holds an unpaired surrogate or bytes that are not UTF-8)");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of("Password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (username != null && !username.isBlank()
                && password.toLowerCase(Locale.ROOT).contains(username.strip().toLowerCase(Locale.ROOT))) {
            return Optional.of("Password must not contain the username");
        }
        if (limited(() -> strength().measure(password, username == null ? List.of() : List.of(username)).getScore()) < 2) {
            return Optional.of("Password is too common or too easy to guess; try a few unrelated words");
        }
        return Optional.empty();
    }

    /**
     * A checker made for each check and dropped after it (about 0.1 s, and passwords are set
     * rarely): kept, zxcvbn's dictionaries held 4 MB (all of them 11 MB) of the heap for good,
     * and with them held the old generation filled until every collection was a full one — list
     * pages went from 3,000 to 1,250 a second after the first account was made in the server. The
     * common-password list is what the rule asks for; the English, name and film lists added little.
     */
    private static Zxcvbn strength() {
        try {
            return new ZxcvbnBuilder().dictionary(StandardDictionaries.PASSWORDS_LOADER.load())
                    .keyboards(StandardKeyboards.loadAllKeyboards()).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("zxcvbn's password list is part of its jar", e);
        }
    }

    private interface Work<T> {
        T run();
    }

    private static <T> T limited(Work<T> work) {
        HASHING.acquireUninterruptibly();
        try {
            return work.run();
        } finally {
            HASHING.release();
        }
    }
}
