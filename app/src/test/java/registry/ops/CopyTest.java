package registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.cli.MainAccess;
import registry.movie.Movie;
import registry.person.Person;
import registry.support.TestDb;
import registry.user.User;

/**
 * {@code db copy} from a SQLite file into an empty database of this run's engine (another SQLite
 * file on the SQLite run): every record arrives with its id, times and version, counters and
 * search work on the target, and no id the source ever gave out is given out again.
 */
class CopyTest {
    private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.891Z");
    private static final Instant UPDATED = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final int USERS = 2_345;

    @TempDir
    Path dir;

    @Test
    void copies_every_record_with_ids_times_and_versions_in_batches_and_verifies_the_counts() throws Exception {
        try (TestDb source = TestDb.sqlite(java.nio.file.Files.createDirectories(dir.resolve("source"))); TestDb target = TestDb.empty(dir.resolve("target"))) {
            assertThat(source.config.databaseUrl()).startsWith("jdbc:sqlite:");
            fill(source);
            target.migrations.upgrade();

            MainAccess.Run run = MainAccess.run("db", "copy", "--from", source.config.databaseUrl(), "--to", target.config.databaseUrl(),
                    "--batch", "500");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("users: " + USERS + " of " + USERS + " copied", "credits: 2 of 2 copied",
                    "Copied and verified: 1 settings, " + USERS + " users, 2 people, 2 movies, 2 credits.");
            assertThat(rows(target, "users", User.class)).isEqualTo(rows(source, "users", User.class));
            assertThat(rows(target, "people", Person.class)).isEqualTo(rows(source, "people", Person.class));
            assertThat(rows(target, "movies", Movie.class)).isEqualTo(rows(source, "movies", Movie.class));
            assertThat(text(target, "SELECT movie_id, person_id, role FROM credits ORDER BY movie_id, person_id, role"))
                    .isEqualTo(text(source, "SELECT movie_id, person_id, role FROM credits ORDER BY movie_id, person_id, role"));
            assertThat(text(target, "SELECT name, n FROM record_counts ORDER BY name"))
                    .containsExactly("movies|2", "people|2", "users|" + USERS);
            assertThat(text(target, "SELECT value FROM settings")).isEqualTo(text(source, "SELECT value FROM settings"));

            long next = target.database.writeOne(h -> h.createUpdate("INSERT INTO users (username, username_key, email, email_key, "
                    + "created_at, updated_at, version) VALUES ('late', 'late', 'late@example.org', 'late@example.org', ?, ?, 1)")
                    .bind(0, UPDATED).bind(1, UPDATED).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            assertThat(next).as("the next id, past the deleted last user of the source").isEqualTo(USERS + 2L);
        }
    }

    @Test
    void refuses_a_target_that_is_not_empty_or_not_upgraded() throws Exception {
        try (TestDb source = TestDb.sqlite(java.nio.file.Files.createDirectories(dir.resolve("source"))); TestDb target = TestDb.empty(dir.resolve("target"))) {
            fill(source);

            MainAccess.Run notUpgraded = MainAccess.run("db", "copy", "--from", source.config.databaseUrl(), "--to", target.config.databaseUrl());
            target.migrations.upgrade();
            MainAccess.run("db", "copy", "--from", source.config.databaseUrl(), "--to", target.config.databaseUrl());
            MainAccess.Run again = MainAccess.run("db", "copy", "--from", source.config.databaseUrl(), "--to", target.config.databaseUrl());

            assertThat(notUpgraded.code()).isEqualTo(2);
            assertThat(notUpgraded.err()).contains("the target's schema is not current").contains("run db upgrade on it first").hasLineCount(1);
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("the target is not empty: settings has 1 row(s)").hasLineCount(1);
            assertThat(text(target, "SELECT count(*) FROM users")).containsExactly(String.valueOf(USERS));
        }
    }

    /** Users (the last one deleted), a person without a year of birth, movies and credits, a secret. */
    private static void fill(TestDb source) {
        source.database.write(h -> {
            for (int i = 1; i <= USERS + 1; i++) {
                h.execute("INSERT INTO users (username, username_key, email, email_key, created_at, updated_at, version) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", "User" + i, "user" + i, "u" + i + "@example.org", "u" + i + "@example.org",
                        CREATED, UPDATED, 1 + i % 3);
            }
            h.execute("DELETE FROM users WHERE id = ?", USERS + 1);
            h.execute("INSERT INTO people (name, name_key, born, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)",
                    "Émile Zola", "émile zola", 1840, CREATED, UPDATED);
            h.execute("INSERT INTO people (name, name_key, born, created_at, updated_at, version) VALUES (?, ?, NULL, ?, ?, 2)",
                    "Nobody Known", "nobody known", CREATED, UPDATED);
            h.execute("INSERT INTO movies (title, title_key, year, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)",
                    "Germinal", "germinal", 1993, CREATED, UPDATED);
            h.execute("INSERT INTO movies (title, title_key, year, created_at, updated_at, version) VALUES (?, ?, NULL, ?, ?, 1)",
                    "Untitled 100%", "untitled 100%", CREATED, UPDATED);
            h.execute("INSERT INTO credits (movie_id, person_id, role) VALUES (1, 1, 'writer'), (1, 2, 'actor')");
            h.execute("INSERT INTO settings (name, value) VALUES ('secret.key', 'copied-secret')");
            return null;
        });
    }

    private static <T> List<T> rows(TestDb db, String table, Class<T> type) {
        String columns = switch (table) {
            case "users" -> "id, username, email, created_at, updated_at, version";
            case "people" -> "id, name, born, created_at, updated_at, version";
            default -> "id, title, year, created_at, updated_at, version";
        };
        return db.database.read(h -> h.createQuery("SELECT " + columns + " FROM " + table + " ORDER BY id").mapTo(type).list());
    }

    private static List<String> text(TestDb db, String sql) throws java.sql.SQLException {
        return db.database.read(h -> registry.support.Schema.rows(h.getConnection(), sql));
    }
}
