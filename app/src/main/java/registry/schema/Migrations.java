package registry.schema;

import registry.db.Database;
import registry.db.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import liquibase.Scope;
import liquibase.SingletonScopeManager;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.command.CommandScope;
import liquibase.command.core.ReleaseLocksCommandStep;
import liquibase.command.core.RollbackCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.UpdateToTagCommandStep;
import liquibase.command.core.UpdateToTagSqlCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.exception.MigrationFailedException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The schema's life, driven by the Liquibase changelogs packaged under {@code migrations/}, through
 * Liquibase's command API. Every command that changes the schema returns the changesets it applied
 * or rolled back, so callers can say exactly what happened.
 */
public final class Migrations {
    public static final String CHANGELOG = "migrations/changelog.xml";
    /** What to run to release a lock left by a process that died while migrating. */
    public static final String UNLOCK_HINT = "if no migration is running, release it with: java -jar registry.jar db unlock";

    /** Held so that the level set on it is not collected with it. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    static {
        // Liquibase would otherwise report usage to its vendor from a user's server.
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        // XSD validation of the changelogs costs ~150 ms of every start; ChangelogSchemaTest
        // validates every changelog file once, so a malformed one still fails the build.
        defaultProperty("liquibase.validateXmlChangelogFiles", "false");
        // A second process waiting for the migration lock checks every second, not every ten, and
        // gives up after a minute with a message naming the holder (a process killed while
        // migrating leaves its lock behind).
        defaultProperty("liquibase.changelogLockPollRate", "1");
        defaultProperty("liquibase.changelogLockWaitTimeInMinutes", "1");
        // Liquibase's warnings are about its own housekeeping (a lock it could not release during
        // 'db sql', say); what matters reaches the user as our one-line errors.
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** A changeset's identity, the same whichever way the changelog was read. */
    public record ChangeSetId(String path, String id, String author) {
        @Override
        public String toString() {
            return path + "::" + id + "::" + author;
        }
    }

    /**
     * A row of the changelog table: Liquibase's tag of the row, if any, and the tags {@code db tag}
     * kept for it in settings because the row already had Liquibase's.
     */
    public record Applied(ChangeSetId changeSet, String executedAt, String tag, List<String> ownTags) {
        /** Liquibase's tag first, then ours in the order they were given. */
        public List<String> tags() {
            List<String> all = new ArrayList<>();
            if (tag != null) {
                all.add(tag);
            }
            all.addAll(ownTags);
            return all;
        }
    }

    /**
     * Where {@link #tag} keeps a tag for a changeset that already carries Liquibase's (a release
     * tag): DATABASECHANGELOG holds one tag per row. The settings row {@code db.tag.NAME} holds the
     * changeset's identity; only {@code db downgrade --to} reads it, not Liquibase's own rollback.
     */
    private static final String OWN_TAG = "db.tag.";

    /** Who holds the migration lock, and since when. */
    public record Lock(String lockedBy, String since) {}

    private final Database database;
    private final String changelog;
    private final ResourceAccessor resources;
    private List<ChangeSetId> changeSets;
    /** The tag each {@code tagDatabase} changeset of the changelog sets, by changeset. */
    private Map<ChangeSetId, String> changelogTags;
    /** A parse begun by {@link #parseEarly} that no one has taken yet. */
    private static final AtomicReference<CompletableFuture<DatabaseChangeLog>> EARLY = new AtomicReference<>();

    /** The packaged changelog being parsed ahead ({@link #parseAhead}), until the first update takes it; null then, or without one. */
    private CompletableFuture<DatabaseChangeLog> ahead;

    /** On the packaged changelog; takes the parse {@link #parseEarly} began, if one is waiting. */
    public Migrations(Database database) {
        this(database, CHANGELOG);
        this.ahead = EARLY.getAndSet(null);
    }

    /**
     * On the packaged changelog, as {@link #parseAhead} parses it: what is pending and the first
     * update are read from that parse rather than from one made when they are asked.
     */
    public Migrations(Database database, CompletableFuture<DatabaseChangeLog> ahead) {
        this(database, CHANGELOG);
        this.ahead = ahead;
    }

    /**
     * Starts parsing the packaged changelog on a thread of its own; it needs no database. A start
     * begins this before it opens the database, so that the parse (0.3–0.4 s of a first start here,
     * mostly Liquibase loading and introspecting its change types) runs beside the opening of the
     * pools and the building of the web app instead of ahead of the update. The thread has a
     * Liquibase scope of its own: Liquibase's current scope is otherwise shared with the thread
     * that started it.
     */
    public static CompletableFuture<DatabaseChangeLog> parseAhead() {
        CompletableFuture<DatabaseChangeLog> early = EARLY.getAndSet(null);
        return early != null ? early : parse();
    }

    /**
     * Begins the parse before the command line is read, for the next {@link #parseAhead} or
     * {@link #Migrations(Database)} to take: {@code main} calls it first, so that the parse runs
     * beside picocli's start (a quarter of a second: its classes are compiled for Java 5, which the
     * class-data archive cannot hold). A command that never migrates leaves it to its daemon thread.
     * Returns the parse waiting to be taken: this one, or one begun before and not taken yet.
     */
    public static CompletableFuture<DatabaseChangeLog> parseEarly() {
        return EARLY.updateAndGet(waiting -> waiting != null ? waiting : parse());
    }

    private static CompletableFuture<DatabaseChangeLog> parse() {
        ResourceAccessor resources = new ClassLoaderResourceAccessor(Migrations.class.getClassLoader());
        return CompletableFuture.supplyAsync(() -> {
            Scope.setScopeManager(new SingletonScopeManager());
            try {
                return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources, Scope.Attr.ui.name(), new LoggerUIService()),
                        () -> ChangeLogParserFactory.getInstance().getParser(CHANGELOG, resources)
                                .parse(CHANGELOG, new ChangeLogParameters(), resources));
            } catch (Exception e) {
                throw new MigrationException(explain(e), e);
            }
        }, task -> {
            Thread thread = new Thread(task, "registry-changelog");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** On another changelog on the class path; tests use it for changelogs that fail on purpose. */
    Migrations(Database database, String changelog) {
        this(database, changelog, new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()));
    }

    /** On changelogs read from elsewhere than the class path: tests read a checkout's {@code migrations/} as the Maven plugin does. */
    Migrations(Database database, String changelog, ResourceAccessor resources) {
        this.database = database;
        this.changelog = changelog;
        this.resources = resources;
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Applies every pending changeset; returns those it applied. */
    public List<ChangeSetId> upgrade() {
        return changing(() -> run(UpdateCommandStep.COMMAND_NAME, Map.of()));
    }

    /** Applies pending changesets up to and including the {@code tagDatabase} of {@code tag}. */
    public List<ChangeSetId> upgradeTo(String tag) {
        return changing(() -> run(UpdateToTagCommandStep.COMMAND_NAME, Map.of(UpdateToTagCommandStep.TAG_ARG.getName(), tag)));
    }

    /** Applies the next {@code count} pending changesets. */
    List<ChangeSetId> upgradeBy(int count) {
        return changing(() -> run(UpdateCountCommandStep.COMMAND_NAME, Map.of(UpdateCountCommandStep.COUNT_ARG.getName(), count)));
    }

    /** Rolls back the last {@code count} applied changesets; returns them, latest first. */
    public List<ChangeSetId> downgrade(int count) {
        try {
            return changing(() -> run(RollbackCountCommandStep.COMMAND_NAME, Map.of(RollbackCountCommandStep.COUNT_ARG.getName(), count)));
        } finally {
            forgetOwnTagsOfRolledBack();
        }
    }

    /**
     * Rolls back every changeset applied after {@code tag}: Liquibase's tag, or one {@link #tag}
     * kept in settings, by the count of changesets applied after the one it marks.
     */
    public List<ChangeSetId> downgradeTo(String tag) {
        List<Applied> history = history();
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).ownTags().contains(tag)) {
                int after = history.size() - 1 - i;
                return after == 0 ? List.of() : downgrade(after);
            }
        }
        try {
            return changing(() -> run(RollbackCommandStep.COMMAND_NAME, Map.of(RollbackCommandStep.TAG_ARG.getName(), tag)));
        } finally {
            forgetOwnTagsOfRolledBack();
        }
    }

    /**
     * Tags the last applied changeset, for a later {@link #downgradeTo}. Not Liquibase's tag
     * command: it tags every row sharing the latest DATEEXECUTED, which SQLite keeps to the second,
     * so a tag would land on (and overwrite the tags of) every changeset applied in that second.
     * ORDEREXECUTED names exactly one row. A row holds one tag: when the last already has one (a
     * release tag, as on a fresh install), the new tag is kept in settings ({@link #OWN_TAG}).
     */
    public void tag(String name) {
        List<Applied> history = history();
        history.stream().filter(row -> row.tags().contains(name)).findFirst().ifPresent(row -> {
            throw new MigrationException("tag " + name + " already marks " + row.changeSet(), null);
        });
        if (!history.isEmpty() && history.get(history.size() - 1).tag() != null) {
            Applied last = history.get(history.size() - 1);
            if (!hasSettings()) {
                throw new MigrationException("the current changeset " + last.changeSet() + " is already tagged " + last.tag()
                        + "; use that tag, or tag again after the next changeset", null);
            }
            database.write(h -> h.execute("INSERT INTO settings (name, value) VALUES (?, ?)", OWN_TAG + name, last.changeSet().toString()));
            return;
        }
        // Two statements: MariaDB refuses an UPDATE whose subquery reads the table it updates.
        int tagged = database.write(h -> h.createQuery("SELECT max(ORDEREXECUTED) FROM DATABASECHANGELOG").mapTo(Integer.class)
                .findOne()
                .map(last -> h.createUpdate("UPDATE DATABASECHANGELOG SET TAG = :tag WHERE ORDEREXECUTED = :last")
                        .bind("tag", name).bind("last", last).execute())
                .orElse(0));
        if (tagged != 1) {
            throw new MigrationException("nothing to tag: no changeset is applied", null);
        }
    }

    /** Writes the SQL that {@link #upgrade()} (or {@link #upgradeTo}) would run, without running it. */
    public void writeSql(OutputStream out, Optional<String> toTag) {
        if (toTag.isPresent()) {
            run(UpdateToTagSqlCommandStep.COMMAND_NAME, Map.of(UpdateToTagSqlCommandStep.TAG_ARG.getName(), toTag.get()), out);
        } else {
            run(UpdateSqlCommandStep.COMMAND_NAME, Map.of(), out);
        }
    }

    /**
     * The changesets {@link #upgrade()} ({@code tag} empty) or {@link #upgradeTo} would apply, in
     * order; none when the tag's changeset is applied already. An unknown tag is refused here, before
     * anything (a backup, say) is done for an upgrade that cannot happen.
     */
    public List<ChangeSetId> toApply(Optional<String> tag) {
        List<ChangeSetId> pending = pending();
        if (tag.isEmpty()) {
            return pending;
        }
        changeSets();
        ChangeSetId tagged = changelogTags.entrySet().stream().filter(e -> e.getValue().equals(tag.get()))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new MigrationException("unknown tag " + tag.get() + ": no changeset of the changelog sets it", null));
        int at = pending.indexOf(tagged);
        return at < 0 ? List.of() : List.copyOf(pending.subList(0, at + 1));
    }

    /**
     * How many changesets {@link #downgradeTo} would roll back: those applied after the row that
     * carries {@code tag} (ours, or Liquibase's, which it matches ignoring case). An unknown tag is
     * refused here, before anything is done.
     */
    public int toRollBack(String tag) {
        List<Applied> history = history();
        for (int i = 0; i < history.size(); i++) {
            Applied row = history.get(i);
            if (row.ownTags().contains(tag) || tag.equalsIgnoreCase(row.tag())) {
                // Liquibase keeps rows that carry the tag too (a tag set twice by the Maven plugin).
                return (int) history.subList(i + 1, history.size()).stream().filter(r -> !tag.equalsIgnoreCase(r.tag())).count();
            }
        }
        throw new MigrationException("unknown tag " + tag + ": no applied changeset carries it (db history lists the tags)", null);
    }

    /** The SQL that rolling back the last {@code count} changesets would run, without running it. */
    public String rollbackSql(int count) {
        java.io.ByteArrayOutputStream sql = new java.io.ByteArrayOutputStream();
        run(RollbackCountSqlCommandStep.COMMAND_NAME, Map.of(RollbackCountSqlCommandStep.COUNT_ARG.getName(), count), sql);
        return sql.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Releases the migration lock; returns who held it, if anyone did. */
    public Optional<Lock> unlock() {
        Optional<Lock> held = lock();
        if (held.isPresent()) {
            run(ReleaseLocksCommandStep.COMMAND_NAME, Map.of());
        }
        return held;
    }

    /** The changesets of the changelog not yet applied, in changelog order. */
    /** Whether no changeset was ever applied here: a new database, to which every changeset is pending. */
    public boolean nothingApplied() {
        return applied().isEmpty();
    }

    public List<ChangeSetId> pending() {
        Set<ChangeSetId> applied = new HashSet<>(applied());
        return changeSets().stream().filter(c -> !applied.contains(c)).toList();
    }

    /** The applied changesets' ids only: what /health and every start ask, without the tags history reads. */
    private List<ChangeSetId> applied() {
        return database.read(h -> {
            if (!tableExists(h.getConnection(), "DATABASECHANGELOG")) {
                return List.of();
            }
            return h.createQuery("SELECT FILENAME, ID, AUTHOR FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")
                    .map((rs, ctx) -> new ChangeSetId(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .list();
        });
    }

    /** Every changeset of the changelog for this engine, in order. */
    public List<ChangeSetId> changelog() {
        return changeSets();
    }

    /**
     * The changeset files under {@code migrations/changes/} of a checkout that this jar does not
     * carry, by name: written (by {@code db new}, say) since the jar was built. None when there is
     * no such folder, as where the jar is deployed.
     */
    public static List<String> notInJar(Path migrations) {
        return notIn(migrations, name -> Migrations.class.getClassLoader().getResource("migrations/changes/" + name) != null);
    }

    static List<String> notIn(Path migrations, java.util.function.Predicate<String> carried) {
        Path changes = migrations.resolve("changes");
        if (!Files.isDirectory(changes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(changes)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".xml"))
                    .filter(carried.negate()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The applied changesets, oldest first. */
    public List<Applied> history() {
        Map<String, List<String>> own = ownTags();
        return database.read(h -> {
            if (!tableExists(h.getConnection(), "DATABASECHANGELOG")) {
                return List.of();
            }
            return h.createQuery("SELECT FILENAME, ID, AUTHOR, DATEEXECUTED, TAG FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")
                    .map((rs, ctx) -> {
                        ChangeSetId id = new ChangeSetId(rs.getString(1), rs.getString(2), rs.getString(3));
                        return new Applied(id, rs.getString(4), rs.getString(5), own.getOrDefault(id.toString(), List.of()));
                    })
                    .list();
        });
    }

    /** The tags kept in settings, by the changeset each marks, each changeset's by name. */
    private Map<String, List<String>> ownTags() {
        if (!hasSettings()) {
            return Map.of();
        }
        Map<String, List<String>> tags = new java.util.HashMap<>();
        database.read(h -> h.createQuery("SELECT name, value FROM settings WHERE name LIKE :prefix ORDER BY name")
                .bind("prefix", OWN_TAG + "%")
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                        .add(rs.getString(1).substring(OWN_TAG.length())))
                .list());
        return tags;
    }

    /** A tag kept in settings goes when its changeset is rolled back, as Liquibase's goes with its row. */
    private void forgetOwnTagsOfRolledBack() {
        Map<String, List<String>> own = ownTags();
        if (own.isEmpty()) {
            return;
        }
        Set<String> applied = new HashSet<>();
        history().forEach(row -> applied.add(row.changeSet().toString()));
        own.forEach((changeSet, names) -> {
            if (!applied.contains(changeSet)) {
                names.forEach(name -> database.write(h -> h.execute("DELETE FROM settings WHERE name = ?", OWN_TAG + name)));
            }
        });
    }

    private boolean hasSettings() {
        return database.read(h -> tableExists(h.getConnection(), "settings"));
    }

    /** The migration lock, when a process holds it. */
    public Optional<Lock> lock() {
        return database.read(h -> {
            if (!tableExists(h.getConnection(), "DATABASECHANGELOGLOCK")) {
                return Optional.empty();
            }
            return h.createQuery("SELECT LOCKED, LOCKEDBY, LOCKGRANTED FROM DATABASECHANGELOGLOCK WHERE ID = 1")
                    .map((rs, ctx) -> rs.getBoolean(1) ? new Lock(rs.getString(2), since(rs.getString(3))) : null)
                    .findFirst();
        });
    }

    /** The time a lock was granted, to the second ("2026-11-20 09:30:00"), whatever fraction the engine keeps. */
    private static String since(String granted) {
        if (granted == null) {
            return "an unknown time";
        }
        return granted.length() > 19 && granted.charAt(19) == '.' ? granted.substring(0, 19) : granted;
    }

    /** In the connection's own database and schema; PostgreSQL keeps unquoted names in lower case. */
    private static boolean tableExists(Connection connection, String table) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String name = meta.storesLowerCaseIdentifiers() ? table.toLowerCase(java.util.Locale.ROOT) : table;
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                return tables.next();
            }
        } catch (SQLException e) {
            throw new MigrationException("cannot read the database's tables: " + e.getMessage(), e);
        }
    }

    /** The changelog's changesets; parsed once, since the packaged changelog cannot change while we run. */
    private synchronized List<ChangeSetId> changeSets() {
        if (changeSets == null) {
            Optional<DatabaseChangeLog> parsed = parsedAhead();
            withLiquibase(false, db -> {
                remember(parsed.isPresent() ? parsed.get() : ChangeLogParserFactory.getInstance().getParser(changelog, resources)
                        .parse(changelog, new ChangeLogParameters(db), resources), db);
                return null;
            });
        }
        return changeSets;
    }

    /** As {@link #parsedAhead}, which it then forgets. */
    private synchronized Optional<DatabaseChangeLog> takeParsedAhead() {
        Optional<DatabaseChangeLog> parsed = parsedAhead();
        ahead = null;
        return parsed;
    }

    /**
     * The changelog parsed ahead, once that parse is done; empty without one, or when it failed:
     * then the changelog is parsed again where it is needed, and that parse reports the failure.
     */
    private synchronized Optional<DatabaseChangeLog> parsedAhead() {
        if (ahead == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ahead.join());
        } catch (RuntimeException e) {
            ahead = null;
            return Optional.empty();
        }
    }

    /** Keeps the changesets of {@code parsed} that are this engine's, and the tag each tagDatabase changeset sets. */
    private synchronized void remember(DatabaseChangeLog parsed, liquibase.database.Database db) {
        // Each engine has its own version of a changeset where its SQL differs (dbms="…").
        DbmsChangeSetFilter thisEngine = new DbmsChangeSetFilter(db);
        List<ChangeSetId> ids = new ArrayList<>();
        Map<ChangeSetId, String> tags = new java.util.HashMap<>();
        for (ChangeSet changeSet : parsed.getChangeSets()) {
            if (!thisEngine.accepts(changeSet).isAccepted()) {
                continue;
            }
            ids.add(id(changeSet));
            changeSet.getChanges().stream().filter(TagDatabaseChange.class::isInstance)
                    .forEach(change -> tags.put(id(changeSet), ((TagDatabaseChange) change).getTag()));
        }
        changelogTags = Map.copyOf(tags);
        changeSets = List.copyOf(ids);
    }

    /**
     * Runs {@code command} holding the {@link MigrationLock}; returns the changesets it applied or
     * rolled back, in the order it did, as Liquibase reported them while it ran (a second process
     * that waited for the lock reports none).
     */
    private List<ChangeSetId> changing(Supplier<List<ChangeSetId>> command) {
        MigrationLock lock = MigrationLock.take(database);
        try {
            return command.get();
        } finally {
            lock.release();
        }
    }

    private List<ChangeSetId> run(String[] command, Map<String, Object> arguments) {
        return run(command, arguments, null);
    }

    private List<ChangeSetId> run(String[] command, Map<String, Object> arguments, OutputStream output) {
        Changed changed = new Changed();
        // Once: a changelog Liquibase has run keeps what it learnt on the way (the checksums it read).
        Optional<DatabaseChangeLog> parsed = Arrays.equals(command, UpdateCommandStep.COMMAND_NAME) ? takeParsedAhead() : Optional.empty();
        // A command that writes SQL out (output set) shows changes without making them: nothing to sync.
        withLiquibase(output == null, db -> runLiquibase(db, command, arguments, output, changed, parsed));
        return List.copyOf(changed.changeSets);
    }

    /**
     * Hears from Liquibase each changeset it executes or rolls back; the changelog it parsed to run
     * them is the packaged one we would parse again for {@link #pending} (a fifth of a first
     * start's time), so it is kept.
     */
    private final class Changed extends AbstractChangeExecListener {
        final List<ChangeSetId> changeSets = new ArrayList<>();

        @Override
        public void ran(ChangeSet changeSet, DatabaseChangeLog log, liquibase.database.Database db, ChangeSet.ExecType type) {
            if (type == ChangeSet.ExecType.EXECUTED || type == ChangeSet.ExecType.RERAN) {
                changeSets.add(id(changeSet));
            }
            DatabaseChangeLog root = log.getRootChangeLog();
            if (changeSets.size() == 1 && root != null && changelog.equals(root.getPhysicalFilePath())) {
                remember(root, db);
            }
        }

        @Override
        public void rolledBack(ChangeSet changeSet, DatabaseChangeLog log, liquibase.database.Database db) {
            changeSets.add(id(changeSet));
        }
    }

    private static ChangeSetId id(ChangeSet changeSet) {
        return new ChangeSetId(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
    }

    private Void runLiquibase(liquibase.database.Database db, String[] command, Map<String, Object> arguments, OutputStream output,
                              ChangeExecListener listener, Optional<DatabaseChangeLog> parsed) throws LiquibaseException {
        CommandScope scope = new CommandScope(command)
                .addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, listener)
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db)
                .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG.getName(), changelog)
                .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
        parsed.ifPresent(log -> scope.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_ARG, log));
        arguments.forEach(scope::addArgumentValue);
        if (output != null) {
            scope.setOutput(output);
        }
        scope.execute();
        return null;
    }

    private interface LiquibaseWork<T> {
        T run(liquibase.database.Database db) throws Exception;
    }

    /** Runs {@code work} on the write connection; {@code changes}: it may commit, and on SQLite its commits are synced once ({@link #syncAtTheEnd}). */
    private <T> T withLiquibase(boolean changes, LiquibaseWork<T> work) {
        try (Connection connection = database.writeDataSource().getConnection()) {
            liquibase.database.Database db = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Map<String, Object> scope = Map.of(
                    Scope.Attr.resourceAccessor.name(), resources,
                    Scope.Attr.ui.name(), new LoggerUIService());
            int synchronous = changes && database.engine() == Engine.SQLITE ? syncAtTheEnd(connection) : -1;
            T result;
            try {
                result = Scope.child(scope, () -> work.run(db));
            } catch (Exception e) {
                if (synchronous >= 0) { // what was applied before the failure stays applied: on the disk too
                    try {
                        syncNow(connection, synchronous);
                    } catch (SQLException notSynced) {
                        e.addSuppressed(notSynced);
                    }
                }
                throw e;
            }
            if (synchronous >= 0) {
                syncNow(connection, synchronous);
            }
            return result;
        } catch (SQLException e) {
            throw new MigrationException("cannot connect to the database: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new MigrationException(explain(e), e);
        }
    }

    /**
     * On SQLite, Liquibase commits each changeset and each row of its changelog table apart: with
     * {@code synchronous=FULL} that was two syncs a changeset, forty on a new database (about 7 %
     * of a first start here, and far more on a disk whose sync takes milliseconds). Its commits are
     * made without a sync instead, and {@link #syncNow} syncs them all at once before the command
     * returns: a command reports changesets applied only once they are on the disk, as before.
     * Returns the connection's setting, to put back.
     */
    private static int syncAtTheEnd(Connection connection) throws SQLException {
        int synchronous;
        try (Statement statement = connection.createStatement(); ResultSet setting = statement.executeQuery("PRAGMA synchronous")) {
            synchronous = setting.next() ? setting.getInt(1) : 2;
        }
        outsideTransaction(connection, "PRAGMA synchronous = NORMAL");
        return synchronous;
    }

    /** SQLite takes a new sync setting between transactions only; the pool's connections are kept in one (no auto-commit). */
    private static void outsideTransaction(Connection connection, String pragma) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(pragma);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Back to the connection's own setting, then a checkpoint, which syncs the log before copying it
     * into the database file and syncs that file after (whatever the setting, unless {@code OFF}).
     */
    private static void syncNow(Connection connection, int synchronous) throws SQLException {
        outsideTransaction(connection, "PRAGMA synchronous = " + synchronous);
        outsideTransaction(connection, "PRAGMA wal_checkpoint(PASSIVE)");
    }

    /** One line saying what failed: the changeset and the database's reason, or Liquibase's own message. */
    static String explain(Throwable e) {
        String reason = oneLine(rootMessage(e));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MigrationFailedException failed) {
                String message = oneLine(failed.getMessage());
                int at = message.indexOf("Migration failed for changeset ");
                String changeSet = at < 0 ? message : message.substring(at + "Migration failed for changeset ".length());
                changeSet = changeSet.split(":\\s", 2)[0];
                return "changeset " + changeSet + " failed and was rolled back: " + reason;
            }
        }
        if (reason.contains("Could not acquire change log lock")) {
            return reason + "; " + UNLOCK_HINT;
        }
        return reason;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
