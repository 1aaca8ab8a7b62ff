package registry.db;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Values kept per database in the settings table. */
public final class Settings {
    /** The row of the generated signing key; backups leave it out (registry.ops.Backup). */
    public static final String SECRET_KEY = "secret.key";

    private Settings() {}

    interface SettingsDao {
        @SqlQuery("SELECT value FROM settings WHERE name = :name")
        Optional<String> find(@Bind("name") String name);

        @SqlUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)")
        void insert(@Bind("name") String name, @Bind("value") String value);
    }

    /**
     * The secret that signs cookies and CSRF tokens when {@code secret.key} is not configured:
     * generated once per database, so every instance serving that database agrees on it. Two
     * instances starting together both try to insert; the primary key keeps the first.
     */
    public static String secretKey(Database database) {
        SettingsDao reads = database.readDao(SettingsDao.class);
        Optional<String> existing = reads.find(SECRET_KEY);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            database.writeDao(SettingsDao.class).insert(SECRET_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        } catch (JdbiException e) {
            if (UniqueViolation.column(e).isEmpty()) {
                throw e;
            }
        }
        return reads.find(SECRET_KEY).orElseThrow();
    }
}
