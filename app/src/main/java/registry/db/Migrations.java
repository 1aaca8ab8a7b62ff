package registry.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/** The schema's life, driven by the Liquibase changelogs packaged under {@code migrations/}. */
public final class Migrations {
    public static final String CHANGELOG = "migrations/changelog.xml";

    /** Held so that the level set on it is not collected with it. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    static {
        // Liquibase would otherwise report usage to its vendor from a user's server.
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        // XSD validation of the changelogs costs ~150 ms of every start; the test suite turns it
        // back on (pom.xml), so a malformed changelog still fails the build.
        if (System.getProperty("liquibase.validateXmlChangelogFiles") == null) {
            System.setProperty("liquibase.validateXmlChangelogFiles", "false");
        }
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Database database;
    private final ResourceAccessor resources = new ClassLoaderResourceAccessor(Migrations.class.getClassLoader());
    private List<String> changeSets;

    public Migrations(Database database) {
        this.database = database;
    }

    /** Applies every pending changeset. */
    public void upgrade() {
        withLiquibase(db -> {
            new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .execute();
            return null;
        });
    }

    /** The changesets of the changelog not yet applied to the database, in changelog order, as "path::id::author". */
    public List<String> pending() {
        Set<String> applied = applied();
        List<String> pending = new ArrayList<>();
        for (String changeSet : changeSets()) {
            if (!applied.contains(changeSet)) {
                pending.add(changeSet);
            }
        }
        return pending;
    }

    /** The changelog's changesets; parsed once, since the packaged changelog cannot change while we run. */
    private synchronized List<String> changeSets() {
        if (changeSets == null) {
            changeSets = parseChangeSets();
        }
        return changeSets;
    }

    private List<String> parseChangeSets() {
        return withLiquibase(db -> {
            DatabaseChangeLog changeLog = ChangeLogParserFactory.getInstance().getParser(CHANGELOG, resources)
                    .parse(CHANGELOG, new ChangeLogParameters(db), resources);
            List<String> ids = new ArrayList<>();
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                ids.add(changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor());
            }
            return List.copyOf(ids);
        });
    }

    private Set<String> applied() {
        return database.read(handle -> {
            boolean exists = handle.createQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'DATABASECHANGELOG'")
                    .mapTo(Integer.class).one() > 0;
            if (!exists) {
                return Set.of();
            }
            return new HashSet<>(handle.createQuery("SELECT filename || '::' || id || '::' || author FROM DATABASECHANGELOG")
                    .mapTo(String.class).list());
        });
    }

    private interface LiquibaseWork<T> {
        T run(liquibase.database.Database db) throws LiquibaseException;
    }

    private <T> T withLiquibase(LiquibaseWork<T> work) {
        try (Connection connection = database.writeDataSource().getConnection()) {
            liquibase.database.Database db = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Map<String, Object> scope = Map.of(
                    Scope.Attr.resourceAccessor.name(), resources,
                    Scope.Attr.ui.name(), new LoggerUIService());
            return Scope.child(scope, () -> work.run(db));
        } catch (SQLException e) {
            throw new MigrationException("cannot connect to the database: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new MigrationException(rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
