package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.db.Database;
import registry.db.Timestamps;
import registry.history.Actor;
import registry.support.TestDb;
import registry.user.User;
import registry.user.UserForm;
import registry.user.Users;

/** The record layer and the SQL every kind shares, on users, against a real database whose schema Liquibase made. */
class RecordsTest {
    /** Who the history names for the changes of these tests. */
    private static final Actor ACTOR = new Actor("tester", "page");

    @TempDir
    static Path dir;
    static TestDb db;
    static Records<User, UserForm> users;

    @BeforeAll
    static void open() {
        db = TestDb.in(dir);
        users = new Records<>(db.database, Users.KIND);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static User create(Records<User, UserForm> records, String username, String email) {
        Outcome<User> outcome = records.create(new UserForm(username, email), ACTOR);
        assertThat(outcome).as("create " + username).isInstanceOf(Outcome.Done.class);
        return ((Outcome.Done<User>) outcome).value();
    }

    private static ListQuery query(Map<String, String> parameters) {
        return users.query(parameters::get);
    }

    @Test
    void a_created_record_is_found_with_version_1_and_equal_times_as_create_answered() {
        User created = create(users, "dao_find", "dao.find@example.org");

        User found = users.find(created.id()).orElseThrow();

        assertThat(found).isEqualTo(created);
        assertThat(found.username()).isEqualTo("dao_find");
        assertThat(found.version()).isEqualTo(1);
        assertThat(found.createdAt()).isEqualTo(found.updatedAt()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void update_with_the_current_version_bumps_it_and_a_stale_one_changes_nothing() {
        long id = create(users, "dao_update", "dao.update@example.org").id();

        Outcome<User> first = users.update(id, 1, new UserForm("dao_updated", "u@example.org"), ACTOR);
        Outcome<User> stale = users.update(id, 1, new UserForm("dao_stale", "s@example.org"), ACTOR);

        assertThat(first).isInstanceOfSatisfying(Outcome.Done.class,
                done -> assertThat(((User) done.value()).version()).isEqualTo(2));
        assertThat(stale).isInstanceOfSatisfying(Outcome.Stale.class,
                s -> assertThat(((User) s.current()).username()).isEqualTo("dao_updated"));
        assertThat(users.find(id).orElseThrow().username()).isEqualTo("dao_updated");
        assertThat(users.update(999_999, 1, new UserForm("nobody", "n@example.org"), ACTOR)).isInstanceOf(Outcome.NotFound.class);
    }

    @Test
    void delete_needs_the_current_version() {
        long id = create(users, "dao_delete", "dao.delete@example.org").id();

        assertThat(users.delete(id, 7L, ACTOR)).isInstanceOf(Outcome.Stale.class);
        assertThat(users.find(id)).isPresent();
        assertThat(users.delete(id, 1L, ACTOR)).isInstanceOf(Outcome.Done.class);
        assertThat(users.find(id)).isEmpty();
        assertThat(users.delete(id, 1L, ACTOR)).isInstanceOf(Outcome.NotFound.class);
    }

    @Test
    void the_unique_key_folds_unicode_case_in_emails_and_names_the_field() {
        create(users, "emile_lower", "émile@example.org");

        Outcome<User> duplicate = users.create(new UserForm("emile_upper", "ÉMILE@EXAMPLE.ORG"), ACTOR);

        assertThat(duplicate).isInstanceOfSatisfying(Outcome.Invalid.class, invalid -> {
            assertThat(invalid.duplicate()).isTrue();
            assertThat(invalid.errors().asMap()).isEqualTo(Map.of("email", List.of("Email is already registered")));
        });
    }

    @Test
    void the_unique_key_ignores_case_in_usernames() {
        create(users, "CaseUser", "case1@example.org");

        Outcome<User> duplicate = users.create(new UserForm("caseuser", "case2@example.org"), ACTOR);

        assertThat(duplicate).isInstanceOfSatisfying(Outcome.Invalid.class,
                invalid -> assertThat(invalid.errors().asMap()).containsOnlyKeys("username"));
    }

    @Test
    void search_takes_percent_and_underscore_literally_and_ignores_case() {
        create(users, "pct_literal", "100%sure@example.org");
        create(users, "pctXliteral", "100xsure@example.org");

        Page<User> percent = users.list(query(Map.of("q", "100%SURE")), false);
        Page<User> underscore = users.list(query(Map.of("q", "PCT_")), false);

        assertThat(percent.items()).extracting(User::username).containsExactly("pct_literal");
        assertThat(percent.total()).isEqualTo(1);
        assertThat(underscore.items()).extracting(User::username).containsExactly("pct_literal");
        assertThat(underscore.total()).isEqualTo(1);
    }

    @Test
    void list_sorts_by_the_folded_name_both_ways_and_pages() {
        try (TestDb fresh = TestDb.in(dir.resolve("sorted"))) {
            Records<User, UserForm> sorted = new Records<>(fresh.database, Users.KIND);
            for (String name : List.of("charlie", "Alpha", "bravo", "delta")) {
                create(sorted, name, name + "@example.org");
            }
            Page<User> firstTwo = sorted.list(sorted.query(Map.of("sort", "username", "size", "2")::get), false);
            Page<User> secondPageDesc = sorted.list(sorted.query(Map.of("sort", "username", "order", "desc", "size", "2", "page", "2")::get), false);

            assertThat(firstTwo.items()).extracting(User::username).containsExactly("Alpha", "bravo");
            assertThat(secondPageDesc.items()).extracting(User::username).containsExactly("bravo", "Alpha");
            assertThat(firstTwo.total()).isEqualTo(4);
        }
    }

    @Test
    void reads_run_outside_transactions_and_a_write_is_seen_only_once_it_commits() {
        boolean readInTransaction = db.database.read(h -> h.isInTransaction());
        // Another process's view: on a server engine a read on the writing thread would join the write's transaction.
        try (Database other = Database.open(db.config)) {
            Records<User, UserForm> elsewhere = new Records<>(other, Users.KIND);
            long id = db.database.write(h -> {
                long inserted = h.createQuery("""
                        INSERT INTO users (username, username_key, username_search, email, email_key, email_search, created_at, updated_at, version)
                        VALUES ('uncommitted', 'uncommitted', 'uncommitted', 'uncommitted@example.org', 'uncommitted@example.org',
                                'uncommitted@example.org', :now, :now, 1)
                        RETURNING id""")
                        .bind("now", Timestamps.now()).mapTo(Long.class).one();
                assertThat(elsewhere.find(inserted)).as("seen by a reader before the commit").isEmpty();
                return inserted;
            });

            assertThat(readInTransaction).isFalse();
            assertThat(elsewhere.find(id)).as("seen by a reader after the commit").isPresent();
        }
    }
}
