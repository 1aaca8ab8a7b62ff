package registry.support;

import java.nio.file.Path;
import registry.Server;
import registry.config.Config;
import registry.db.Database;
import registry.schema.Migrations;

/** A fresh database of this run's engine ({@link TestEngine}) with the schema applied by Liquibase, as the app would have it. */
public final class TestDb implements AutoCloseable {
    public final Config config;
    public final Database database;
    public final Migrations migrations;

    private TestDb(Config config, boolean migrate) {
        this.config = config;
        this.database = Database.open(config);
        this.migrations = new Migrations(database);
        if (migrate) {
            migrations.upgrade();
        }
    }

    private TestDb(Server server) {
        this.config = server.config();
        this.database = server.database();
        this.migrations = server.migrations();
    }

    private TestDb(Config config) {
        this(config, true);
    }

    /** A database with no schema at all: not even Liquibase's tables. */
    public static TestDb empty(Path dir) {
        return new TestDb(config(dir), false);
    }

    public static TestDb in(Path dir) {
        return new TestDb(config(dir));
    }

    /** The configuration of a new, empty test database (a file in {@code dir} on SQLite), on a random port. */
    public static Config config(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Config.defaults().withDatabaseUrl(TestEngine.newDatabaseUrl(dir)).withPort(0);
    }

    /** A new SQLite file in {@code dir} with the schema applied, whatever this run's engine. */
    public static TestDb sqlite(Path dir) {
        return new TestDb(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + dir.resolve("registry.db")).withPort(0));
    }

    /** An existing SQLite database file, as it is: nothing applied. */
    public static TestDb at(Path file) {
        return new TestDb(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + file).withPort(0), false);
    }

    public static TestDb with(Config config) {
        return new TestDb(config);
    }

    /** The database a running server opened and migrated; the server closes it (closing it here too is harmless). */
    public static TestDb of(Server server) {
        return new TestDb(server);
    }

    @Override
    public void close() {
        database.close();
    }
}
