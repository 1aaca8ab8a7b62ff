package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;
import registry.support.TestDb;

/** A start-up that finds the migration lock held says who holds it and how to release it. */
@Tag("slow")
class LockedStartTest {
    @TempDir
    Path dir;

    @Test
    void a_held_lock_is_reported_at_start_instead_of_a_silent_wait() throws Exception {
        String url;
        try (TestDb db = TestDb.in(dir)) {
            db.migrations.downgrade(1);
            db.database.write(h -> h.execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = ?, LOCKEDBY = 'ghost (10.1.2.3)', "
                    + "LOCKGRANTED = '2026-11-20 09:30:00' WHERE ID = 1", true));
            url = db.config.databaseUrl();
        }

        try (ChildApp app = ChildApp.start(url)) {
            // The line comes once the JVM has started, which on a busy machine can take half a minute.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && app.process().isAlive()
                    && app.log().stream().noneMatch(line -> line.contains("Waiting for the migration lock"))) {
                Thread.sleep(100);
            }

            assertThat(app.log()).anyMatch(line -> line.contains(
                    "Waiting for the migration lock, held by ghost (10.1.2.3) since 2026-11-20 09:30:00; "
                    + "if no migration is running, release it with: java -jar registry.jar db unlock"));
            assertThat(app.process().isAlive()).isTrue();
        }
    }
}
