package registry.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Caller;
import registry.access.Role;
import registry.history.Actor;
import registry.history.Entry;
import registry.history.History;
import registry.support.TestDb;

/** Every account event of SPEC "History and trash" writes one entry of kind accounts, never a password. */
class AccountHistoryTest {
    private static final String PASSWORD = "tidy-otter-minus-42-plum";
    private static final Actor ADMIN = new Actor("boss", "page");

    @TempDir
    Path dir;

    private static List<Entry> entries(TestDb db) {
        return new History(db.database).after(0, 1000, true);
    }

    @Test
    void each_account_event_has_its_entry_with_the_actor_the_account_and_its_username() {
        try (TestDb db = TestDb.in(dir)) {
            Accounts accounts = new Accounts(db.database, Clock.systemUTC(), 60);
            accounts.add("boss", Role.ADMIN, PASSWORD, Actor.CLI);
            Account ann = accounts.add("ann", Role.VIEWER, PASSWORD, ADMIN);
            accounts.setRole(ann.id(), Role.EDITOR, ADMIN);
            accounts.setRole(ann.id(), Role.EDITOR, ADMIN); // no change, no entry
            accounts.setEnabled(ann.id(), false, ADMIN);
            accounts.setEnabled(ann.id(), false, ADMIN); // no change, no entry
            accounts.setEnabled(ann.id(), true, ADMIN);
            accounts.setPassword(ann.id(), "brave-heron-plus-17-pear", 0, ADMIN);
            Accounts.SignIn.Done done = (Accounts.SignIn.Done) accounts.signIn("Ann", "brave-heron-plus-17-pear", "10.0.0.7", "test");
            Caller caller = done.caller();
            Actor own = new Actor("ann", "page");
            accounts.changePassword(caller, "brave-heron-plus-17-pear", "quiet-lynx-over-88-fig", "quiet-lynx-over-88-fig", own);
            Accounts.NewToken token = accounts.createToken(ann.id(), "laptop", "read", 30, own);
            accounts.revokeToken(ann.id(), token.id(), own);
            accounts.revokeToken(ann.id(), token.id(), own); // gone already: no entry
            accounts.remove(ann.id(), ADMIN);

            List<Entry> entries = entries(db);
            assertThat(entries).extracting(Entry::kind).containsOnly(History.ACCOUNTS);
            assertThat(entries).extracting(Entry::actor, Entry::via, Entry::action, Entry::recordId, Entry::label).containsExactly(
                    tuple("cli", "cli", "create", entries.get(0).recordId(), "boss"),
                    tuple("boss", "page", "create", ann.id(), "ann"),
                    tuple("boss", "page", "update", ann.id(), "ann"),
                    tuple("boss", "page", "update", ann.id(), "ann"),
                    tuple("boss", "page", "update", ann.id(), "ann"),
                    tuple("boss", "page", "password", ann.id(), "ann"),
                    tuple("ann", "page", "sign-in", ann.id(), "ann"),
                    tuple("ann", "page", "password", ann.id(), "ann"),
                    tuple("ann", "page", "token-create", ann.id(), "ann"),
                    tuple("ann", "page", "token-revoke", ann.id(), "ann"),
                    tuple("boss", "page", "delete", ann.id(), "ann"));
            assertThat(History.changesOf(entries.get(1))).isEqualTo(Map.of("username", "ann", "role", "viewer", "enabled", true));
            assertThat(History.changesOf(entries.get(2))).isEqualTo(Map.of("role", List.of("viewer", "editor")));
            assertThat(History.changesOf(entries.get(3))).isEqualTo(Map.of("enabled", List.of(true, false)));
            assertThat(History.changesOf(entries.get(6))).isEqualTo(Map.of("address", "10.0.0.7"));
            assertThat(History.changesOf(entries.get(8))).containsEntry("token", "laptop").containsEntry("access", "read");
            // Never the password, nor its hash, nor the token's secret.
            assertThat(entries).allSatisfy(e -> assertThat(e.changes())
                    .doesNotContain("brave-heron").doesNotContain("quiet-lynx").doesNotContain("$").doesNotContain(token.secret()));
        }
    }

    @Test
    void a_failed_sign_in_names_the_account_or_record_id_0_for_an_unknown_username() {
        try (TestDb db = TestDb.in(dir)) {
            Accounts accounts = new Accounts(db.database, Clock.systemUTC(), 60);
            Account kim = accounts.add("kim", Role.VIEWER, PASSWORD, Actor.CLI);
            accounts.setEnabled(kim.id(), false, Actor.CLI);

            assertThat(accounts.signIn("kim", "wrong-wrong-wrong", "10.0.0.1", "t")).isInstanceOf(Accounts.SignIn.Wrong.class);
            assertThat(accounts.signIn("kim", PASSWORD, "10.0.0.1", "t")).isInstanceOf(Accounts.SignIn.Wrong.class); // disabled
            assertThat(accounts.signIn("nobody", PASSWORD, "10.0.0.2", "t")).isInstanceOf(Accounts.SignIn.Wrong.class);
            assertThat(accounts.signIn("bad\u0000name", PASSWORD, "10.0.0.3", "t")).isInstanceOf(Accounts.SignIn.Wrong.class);

            List<Entry> failures = entries(db).stream().filter(e -> e.action().equals("sign-in-failed")).toList();
            assertThat(failures).extracting(Entry::actor, Entry::via, Entry::recordId, Entry::label).containsExactly(
                    tuple("kim", "page", kim.id(), "kim"),
                    tuple("kim", "page", kim.id(), "kim"),
                    tuple("nobody", "page", 0L, "nobody"),
                    tuple("bad\uFFFDname", "page", 0L, "bad\uFFFDname"));
            assertThat(History.changesOf(failures.get(2))).isEqualTo(Map.of("address", "10.0.0.2"));
            assertThat(failures).allSatisfy(e -> assertThat(e.changes()).doesNotContain(PASSWORD));
        }
    }

    @Test
    void a_refused_change_writes_no_entry() {
        try (TestDb db = TestDb.in(dir)) {
            Accounts accounts = new Accounts(db.database, Clock.systemUTC(), 60);
            Account only = accounts.add("solo", Role.ADMIN, PASSWORD, Actor.CLI);

            catchThrowableOfType(AccountRefused.class, () -> accounts.setRole(only.id(), Role.VIEWER, ADMIN));
            catchThrowableOfType(AccountRefused.class, () -> accounts.setEnabled(only.id(), false, ADMIN));
            catchThrowableOfType(AccountRefused.class, () -> accounts.remove(only.id(), ADMIN));
            catchThrowableOfType(AccountRefused.class, () -> accounts.add("solo", Role.VIEWER, PASSWORD, ADMIN));

            assertThat(entries(db)).extracting(Entry::action).containsExactly("create");
        }
    }
}
