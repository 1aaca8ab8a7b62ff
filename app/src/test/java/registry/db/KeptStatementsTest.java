package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements kept prepared per connection, on a real SQLite file in WAL mode. */
@Tag("sqlite-only")
class KeptStatementsTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;

    @BeforeEach
    void open() {
        jdbi = Jdbi.create("jdbc:sqlite:" + dir.resolve("kept.db"));
        jdbi.setStatementBuilderFactory(connection -> new KeptStatements());
        jdbi.useHandle(h -> {
            h.execute("PRAGMA journal_mode=WAL");
            h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            h.execute("INSERT INTO t (name) VALUES ('a'), ('b'), ('c')");
        });
    }

    /** Runs {@code statement} and tells which JDBC statement it ran on. */
    private static <S extends SqlStatement<S>> Statement ranOn(S statement, java.util.function.Consumer<S> run) {
        AtomicReference<Statement> used = new AtomicReference<>();
        statement.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(java.sql.PreparedStatement stmt, StatementContext ctx) {
                used.set(stmt);
            }
        });
        run.accept(statement);
        return used.get();
    }

    @Test
    void the_same_sql_runs_on_the_same_statement_with_new_values_each_time() {
        try (Handle h = jdbi.open()) {
            List<String> names = new ArrayList<>();
            List<Statement> statements = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                var query = h.createQuery("SELECT name FROM t WHERE id = :id").bind("id", id);
                statements.add(ranOn(query, q -> names.add(q.mapTo(String.class).one())));
            }
            Statement other = ranOn(h.createQuery("SELECT count(*) FROM t"), q -> q.mapTo(Long.class).one());

            assertThat(names).containsExactly("a", "b", "c");
            assertThat(statements.get(1)).isSameAs(statements.get(0));
            assertThat(statements.get(2)).isSameAs(statements.get(0));
            assertThat(other).isNotSameAs(statements.get(0));
        }
    }

    @Test
    void a_statement_in_use_is_not_handed_out_again_and_the_spare_is_closed_when_given_back() throws Exception {
        try (Handle h = jdbi.open()) {
            String sql = "SELECT name FROM t WHERE id >= :id ORDER BY id";
            List<String> pairs = new ArrayList<>();
            List<Statement> inner = new ArrayList<>();
            Statement outer = ranOn(h.createQuery(sql).bind("id", 1), q -> {
                try (var rows = q.mapTo(String.class).stream()) {
                    rows.forEach(name -> inner.add(ranOn(h.createQuery(sql).bind("id", 3),
                            nested -> pairs.add(name + nested.mapTo(String.class).one()))));
                }
            });
            Statement after = ranOn(h.createQuery(sql).bind("id", 2), q -> q.mapTo(String.class).list());

            assertThat(pairs).containsExactly("ac", "bc", "cc");
            assertThat(inner).doesNotContain(outer).allSatisfy(s -> assertThat(s).isSameAs(inner.get(0)));
            assertThat(outer.isClosed()).as("given back while another was kept for its SQL").isTrue();
            assertThat(after).isSameAs(inner.get(0));
        }
    }

    @Test
    void a_kept_statement_holds_no_snapshot_so_a_checkpoint_can_take_the_whole_log() throws Exception {
        try (Handle h = jdbi.open(); Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kept.db"))) {
            h.createQuery("SELECT name FROM t ORDER BY id").mapTo(String.class).first(); // stops after one row of three
            h.createQuery("SELECT name FROM t WHERE id = :id").bind("id", 2).mapTo(String.class).one();
            h.execute("SELECT name FROM t"); // run, its rows never read
            try (Statement s = other.createStatement()) {
                s.execute("INSERT INTO t (name) VALUES ('d')");
                try (ResultSet checkpoint = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    checkpoint.next();
                    assertThat(checkpoint.getInt(1)).as("busy: a reader's snapshot kept the log").isZero();
                }
            }
            assertThat(h.createQuery("SELECT count(*) FROM t").mapTo(Long.class).one()).as("the handle sees the new row").isEqualTo(4);
        }
    }

    @Test
    void generated_keys_are_asked_of_a_statement_of_their_own() {
        try (Handle h = jdbi.open()) {
            String sql = "INSERT INTO t (name) VALUES (:name)";
            Statement plain = ranOn(h.createUpdate(sql).bind("name", "x"), u -> u.execute());
            List<Long> ids = new ArrayList<>();
            Statement keyed = ranOn(h.createUpdate(sql).bind("name", "y"),
                    u -> ids.add(u.executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
            Statement keyedAgain = ranOn(h.createUpdate(sql).bind("name", "z"),
                    u -> ids.add(u.executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));

            assertThat(keyed).isNotSameAs(plain).isSameAs(keyedAgain);
            assertThat(ids).containsExactly(5L, 6L);
        }
    }

    @Test
    void the_least_recently_used_are_closed_past_the_limit_and_the_rest_with_the_handle() throws Exception {
        Handle h = jdbi.open();
        List<Statement> made = new ArrayList<>();
        for (int i = 0; i <= KeptStatements.KEPT; i++) {
            made.add(ranOn(h.createQuery("SELECT " + i), q -> q.mapTo(Integer.class).one()));
        }
        assertThat(made.get(0).isClosed()).as("the eldest").isTrue();
        assertThat(made.get(1).isClosed()).isFalse();

        h.close();
        assertThat(made).allSatisfy(s -> assertThat(s.isClosed()).isTrue());
    }
}
