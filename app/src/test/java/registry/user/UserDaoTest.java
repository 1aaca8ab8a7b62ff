package registry.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.Timestamps;
import registry.db.UniqueViolation;
import registry.support.TestDb;

/** UserDao against a real SQLite file whose schema Liquibase made. */
class UserDaoTest {
    @TempDir
    static Path dir;
    static TestDb db;

    @BeforeAll
    static void open() {
        db = TestDb.in(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private long insert(String username, String email) {
        return db.database.write(h -> h.attach(UserDao.class)
                .insert(username, CaseFold.fold(username), email, CaseFold.fold(email), Timestamps.now()));
    }

    private java.util.Optional<User> find(long id) {
        return db.database.read(h -> h.attach(UserDao.class).findById(id));
    }

    @Test
    void inserted_user_is_found_with_version_1_and_equal_times() {
        long id = insert("dao_find", "dao.find@example.org");

        User user = find(id).orElseThrow();

        assertThat(user.username()).isEqualTo("dao_find");
        assertThat(user.email()).isEqualTo("dao.find@example.org");
        assertThat(user.version()).isEqualTo(1);
        assertThat(user.createdAt()).isEqualTo(user.updatedAt()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void update_with_the_current_version_bumps_it_and_a_stale_one_changes_nothing() {
        long id = insert("dao_update", "dao.update@example.org");

        int first = db.database.write(h -> h.attach(UserDao.class)
                .update(id, 1, "dao_updated", "dao_updated", "u@example.org", "u@example.org", Timestamps.now()));
        int stale = db.database.write(h -> h.attach(UserDao.class)
                .update(id, 1, "dao_stale", "dao_stale", "s@example.org", "s@example.org", Timestamps.now()));

        User user = find(id).orElseThrow();
        assertThat(first).isEqualTo(1);
        assertThat(stale).isZero();
        assertThat(user.username()).isEqualTo("dao_updated");
        assertThat(user.version()).isEqualTo(2);
    }

    @Test
    void delete_needs_the_current_version() {
        long id = insert("dao_delete", "dao.delete@example.org");

        int stale = db.database.write(h -> h.attach(UserDao.class).delete(id, 7));
        int current = db.database.write(h -> h.attach(UserDao.class).delete(id, 1));

        assertThat(stale).isZero();
        assertThat(current).isEqualTo(1);
        assertThat(find(id)).isEmpty();
    }

    @Test
    void the_unique_index_folds_unicode_case_in_emails() {
        insert("emile_lower", "émile@example.org");

        assertThatThrownBy(() -> insert("emile_upper", "ÉMILE@EXAMPLE.ORG"))
                .isInstanceOfSatisfying(JdbiException.class,
                        e -> assertThat(UniqueViolation.column(e)).contains("email_key"));
    }

    @Test
    void the_unique_index_ignores_case_in_usernames() {
        insert("CaseUser", "case1@example.org");

        assertThatThrownBy(() -> insert("caseuser", "case2@example.org"))
                .isInstanceOfSatisfying(JdbiException.class,
                        e -> assertThat(UniqueViolation.column(e)).contains("username_key"));
    }

    @Test
    void search_takes_percent_and_underscore_literally_and_ignores_case() {
        insert("pct_literal", "100%sure@example.org");
        insert("pctXliteral", "100xsure@example.org");

        String pattern = CaseFold.containsPattern("100%SURE");
        List<User> found = db.database.read(h -> h.attach(UserDao.class).search(pattern, "id", "ASC", 10, 0).toList());
        long count = db.database.read(h -> h.attach(UserDao.class).countMatching(CaseFold.containsPattern("PCT_")));

        assertThat(found).extracting(User::username).containsExactly("pct_literal");
        assertThat(count).isEqualTo(1);
    }

    @Test
    void list_sorts_by_the_folded_name_and_pages_with_limit_and_offset() {
        TestDb fresh = TestDb.in(dir.resolve("sorted"));
        try (fresh) {
            for (String name : List.of("charlie", "Alpha", "bravo", "delta")) {
                fresh.database.write(h -> h.attach(UserDao.class).insert(name, CaseFold.fold(name),
                        name + "@example.org", CaseFold.fold(name + "@example.org"), Timestamps.now()));
            }
            List<User> firstTwo = fresh.database.read(h -> h.attach(UserDao.class).list("username_key", "ASC", 2, 0).toList());
            List<User> lastTwoDesc = fresh.database.read(h -> h.attach(UserDao.class).list("username_key", "DESC", 2, 2).toList());
            long count = fresh.database.read(h -> h.attach(UserDao.class).count());

            assertThat(firstTwo).extracting(User::username).containsExactly("Alpha", "bravo");
            assertThat(lastTwoDesc).extracting(User::username).containsExactly("bravo", "Alpha");
            assertThat(count).isEqualTo(4);
        }
    }

    @Test
    void reads_run_outside_transactions_and_a_write_is_seen_only_once_it_commits() {
        boolean readInTransaction = db.database.read(h -> h.isInTransaction());
        // Another process's view: on a server engine a read on the writing thread would join the write's transaction.
        try (Database other = Database.open(db.config)) {
            UserDao elsewhere = other.readDao(UserDao.class);
            long id = db.database.write(h -> {
                long inserted = h.attach(UserDao.class).insert("uncommitted", "uncommitted", "uncommitted@example.org",
                        "uncommitted@example.org", Timestamps.now());
                assertThat(elsewhere.findById(inserted)).as("seen by a reader before the commit").isEmpty();
                return inserted;
            });

            assertThat(readInTransaction).isFalse();
            assertThat(elsewhere.findById(id)).as("seen by a reader after the commit").isPresent();
        }
    }
}
