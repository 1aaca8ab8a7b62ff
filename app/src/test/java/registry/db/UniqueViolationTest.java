package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Each engine's way of saying "duplicate", read back as the column of the unique index. */
@Tag("sqlite-only")
class UniqueViolationTest {
    private static JdbiException failed(SQLException cause) {
        return new UnableToExecuteStatementException(cause, null);
    }

    @Test
    void sqlite_names_the_table_and_column() {
        SQLException e = new SQLException("[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: users.email_key)");

        assertThat(UniqueViolation.column(failed(e))).contains("email_key");
    }

    @Test
    void postgresql_names_the_index_in_its_error_fields() {
        PSQLException e = new PSQLException(new ServerErrorMessage("SERROR\0C23505\0Mduplicate key value\0nusers_username_key_uq\0"));

        assertThat(UniqueViolation.column(failed(e))).contains("username_key");
    }

    @Test
    void mariadb_names_the_index_in_its_message() {
        SQLException e = new SQLException("Duplicate entry 'x' for key 'people.people_name_key_uq'", "23000", 1062);

        assertThat(UniqueViolation.column(failed(e))).contains("name_key");
    }

    @Test
    void a_name_outside_the_rule_is_given_as_it_is_and_other_failures_are_not_duplicates() {
        SQLException primary = new SQLException("Duplicate entry '1-2-actor' for key 'PRIMARY'", "23000", 1062);
        SQLException other = new SQLException("[SQLITE_BUSY] The database file is locked", "08000", 5);

        assertThat(UniqueViolation.column(failed(primary))).contains("PRIMARY");
        assertThat(UniqueViolation.column(failed(other))).isEmpty();
    }
}
