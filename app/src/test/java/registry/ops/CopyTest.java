package registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.cli.MainAccess;
import registry.db.Engine;
import registry.db.Timestamps;
import registry.support.Schema;
import registry.support.TestDb;

/**
 * {@code db copy} from a SQLite file into an empty database of this run's engine (another SQLite
 * file on the SQLite run): every row of every table arrives as it was, ids, times and versions
 * included, the target's triggers fill its counters, and no id the source ever gave out is given
 * out again. Accounts and their tokens come across; sessions and the sign-in throttle do not. No
 * table is forgotten: each the database lists is copied or left out for a stated reason.
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
                    "Copied and verified: 1 accounts, 1 account_tokens, 2 movies, 2 people, 2 credits, 2 history, 1 settings, " + USERS + " users.");
            List<String> tables = source.database.read(h -> Schema.tables(h.getConnection()));
            assertThat(tables).as("the source's tables, counters included").hasSizeGreaterThan(2);
            assertThat(tables).contains("accounts", "account_tokens").containsAll(Copy.SIGN_IN_STATE);
            for (String table : tables) {
                if (Copy.notCopied(table).isPresent() && table.startsWith("import")) {
                    assertThat(rows(target, table, source)).as(table + ": imports under way stay behind").isEmpty();
                } else if (Copy.SIGN_IN_STATE.contains(table)) {
                    assertThat(rows(source, table, source)).as(table).isNotEmpty();
                    assertThat(rows(target, table, source)).as(table + ": sign-in state stays behind").isEmpty();
                } else {
                    assertThat(rows(target, table, source)).as(table).isEqualTo(rows(source, table, source)).isNotEmpty();
                }
            }

            if (target.database.engine() == Engine.SQLITE) {
                // Built from the copied rows: the search index holds each user, as the rows say (FTS5's own check, against the table).
                long indexed = target.database.read(h -> h.createQuery("SELECT count(*) FROM users_search_docsize").mapTo(Long.class).one());
                assertThat(indexed).isEqualTo(USERS);
                target.database.write(h -> h.execute("INSERT INTO users_search (users_search, rank) VALUES ('integrity-check', 1)"));
            }
            long next = target.database.writeOne(h -> h.createQuery("INSERT INTO users (username, username_key, username_search, email, "
                    + "email_key, email_search, created_at, updated_at, version) "
                    + "VALUES ('late', 'late', 'late', 'late@example.org', 'late@example.org', 'late@example.org', ?, ?, 1) RETURNING id")
                    .bind(0, UPDATED).bind(1, UPDATED).mapTo(Long.class).one());
            assertThat(next).as("the next id, past the deleted last user of the source").isEqualTo(USERS + 2L);
        }
    }

    @Test
    void a_table_of_the_source_that_is_not_registrys_is_named_and_left_alone() throws Exception {
        try (TestDb source = TestDb.sqlite(java.nio.file.Files.createDirectories(dir.resolve("own"))); TestDb target = TestDb.empty(dir.resolve("clean"))) {
            source.database.writeOne(h -> h.execute("CREATE TABLE operator_notes (note TEXT)"));
            target.migrations.upgrade();

            MainAccess.Run run = MainAccess.run("db", "copy", "--from", source.config.databaseUrl(), "--to", target.config.databaseUrl());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("Not copied, not Registry's: operator_notes", "Copied and verified:");
        }
    }

    /**
     * Holds Copy's tables and its stated exclusions against every table the database's own
     * catalogue lists after db upgrade, and its "continue ids" against the columns the catalogue
     * says are generated: a new table is copied, or left out with a reason, never forgotten.
     */
    @Test
    void every_table_of_the_schema_is_copied_or_left_out_for_a_stated_reason() throws Exception {
        try (TestDb db = TestDb.in(dir.resolve("db"))) {
            List<Copy.Table> copied = Copy.tables(db.database);
            List<String> all = text(db, switch (db.database.engine()) {
                case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'table'";
                case POSTGRESQL -> "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                        + "AND table_type = 'BASE TABLE'";
                case MARIADB -> "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";
            });
            List<String> generatedIds = text(db, switch (db.database.engine()) {
                case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'";
                case POSTGRESQL -> "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        + "AND (is_identity = 'YES' OR column_default LIKE 'nextval%')";
                case MARIADB -> "SELECT DISTINCT TABLE_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                        + "AND EXTRA LIKE '%auto_increment%'";
            });

            List<String> names = copied.stream().map(Copy.Table::name).toList();
            assertThat(all).as("the catalogue's tables").containsAll(names);
            for (String table : all) {
                assertThat(names.contains(table) ^ Copy.notCopied(table).isPresent())
                        .as(table + ": copied, or left out with a reason (" + Copy.notCopied(table).orElse("none") + "), not both nor neither")
                        .isTrue();
            }
            assertThat(copied.stream().filter(Copy.Table::continuesIds).map(Copy.Table::name))
                    .as("the tables whose ids the target continues")
                    .containsExactlyInAnyOrderElementsOf(generatedIds.stream().filter(t -> Copy.notCopied(t).isEmpty()).toList())
                    .isNotEmpty();
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
            assertThat(again.err()).contains("the target is not empty: accounts has 1 row(s)").hasLineCount(1);
            assertThat(text(target, "SELECT count(*) FROM users")).containsExactly(String.valueOf(USERS));
        }
    }

    /**
     * Users (the last one deleted), a person without a year of birth, movies and credits, a secret,
     * an account with a token, a session and a failed sign-in.
     */
    private static void fill(TestDb source) {
        source.database.write(h -> {
            for (int i = 1; i <= USERS + 1; i++) {
                h.execute("INSERT INTO users (username, username_key, username_search, email, email_key, email_search, "
                        + "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "User" + i, "user" + i, "user" + i,
                        "u" + i + "@example.org", "u" + i + "@example.org", "u" + i + "@example.org", CREATED, UPDATED, 1 + i % 3);
            }
            h.execute("DELETE FROM users WHERE id = ?", USERS + 1);
            h.execute("INSERT INTO people (name, name_key, name_search, born, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                    "Émile Zola", "émile zola", "emile zola", 1840, CREATED, UPDATED);
            h.execute("INSERT INTO people (name, name_key, name_search, born, created_at, updated_at, version) VALUES (?, ?, ?, NULL, ?, ?, 2)",
                    "Nobody Known", "nobody known", "nobody known", CREATED, UPDATED);
            h.execute("INSERT INTO movies (title, title_key, title_search, year, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                    "Germinal", "germinal", "germinal", 1993, CREATED, UPDATED);
            h.execute("INSERT INTO movies (title, title_key, title_search, year, created_at, updated_at, version) VALUES (?, ?, ?, NULL, ?, ?, 1)",
                    "Untitled 100%", "untitled 100%", "untitled 100%", CREATED, UPDATED);
            h.execute("INSERT INTO credits (movie_id, person_id, role) VALUES (1, 1, 'writer'), (1, 2, 'actor')");
            h.execute("INSERT INTO settings (name, value) VALUES ('secret.key', 'copied-secret')");
            h.execute("INSERT INTO accounts (username, username_key, password_hash, role, last_sign_in_at, created_at, updated_at, version) "
                    + "VALUES ('Ops', 'ops', '$argon2id$not-a-real-hash', 'admin', ?, ?, ?, 3)", UPDATED, CREATED, UPDATED);
            h.execute("INSERT INTO account_tokens (account_id, name, access, secret_hash, created_at, last_used_at, expires_at) "
                    + "VALUES (1, 'nightly', 'write', 'token-hash', ?, ?, NULL)", CREATED, UPDATED);
            h.execute("INSERT INTO account_sessions (account_id, secret_hash, address, agent, created_at, last_seen_at) "
                    + "VALUES (1, 'session-hash', '127.0.0.1', 'test', ?, ?)", CREATED, UPDATED);
            h.execute("INSERT INTO sign_in_failures (username_key, address, at) VALUES ('ops', '127.0.0.1', ?)", UPDATED);
            h.execute("INSERT INTO history (at, actor, via, action, kind, record_id, label, changes) "
                    + "VALUES (?, 'Ops', 'page', 'create', 'movies', 1, 'Germinal', '{\"title\":\"Germinal\",\"year\":1993}')", CREATED);
            h.execute("INSERT INTO history (at, actor, via, action, kind, record_id, label, changes, import_id) "
                    + "VALUES (?, 'cli', 'import', 'delete', 'people', 3, 'Gone', '{}', 'imp1')", UPDATED);
            return null;
        });
    }

    /**
     * The rows of {@code table} as sorted text, in the columns of the source's table; a time (a
     * time type on a server, text on SQLite) as our ISO text, so engines compare.
     */
    private static List<String> rows(TestDb db, String table, TestDb columnsOf) throws java.sql.SQLException {
        List<String> columns = columnsOf.database.read(h -> Schema.columns(h.getConnection(), table)).stream()
                .map(Schema.Column::name).sorted().toList();
        Engine engine = db.database.engine();
        List<String> rows = new ArrayList<>(db.database.read(h -> {
            List<String> read = new ArrayList<>();
            try (Statement statement = h.getConnection().createStatement();
                 ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table)) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        int type = rs.getMetaData().getColumnType(i);
                        boolean time = type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE;
                        Instant instant = time ? Timestamps.read(rs, i, engine) : null;
                        values.add(time ? (instant == null ? null : Timestamps.format(instant)) : rs.getString(i));
                    }
                    read.add(values.toString());
                }
            }
            return read;
        }));
        Collections.sort(rows);
        return rows;
    }

    private static List<String> text(TestDb db, String sql) throws java.sql.SQLException {
        return db.database.read(h -> Schema.rows(h.getConnection(), sql));
    }
}
