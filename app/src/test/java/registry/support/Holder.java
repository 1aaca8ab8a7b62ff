package registry.support;

import java.util.concurrent.CountDownLatch;
import registry.db.Database;

/** A thread that keeps the database busy inside one read or one write until closed: for tests of waiting. */
public final class Holder implements AutoCloseable {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;

    private interface Inside {
        void enter(Database database, Holder holder) throws InterruptedException;
    }

    private Holder(Database database, Inside inside) throws InterruptedException {
        thread = new Thread(() -> {
            try {
                inside.enter(database, this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-holder");
        thread.start();
        held.await();
    }

    /** Returns once a write (on SQLite: the writer; on a server: a pooled connection) is held. */
    public static Holder write(Database database) throws InterruptedException {
        return new Holder(database, (db, holder) -> db.write(h -> holder.hold()));
    }

    /** Returns once a read connection is held. */
    public static Holder read(Database database) throws InterruptedException {
        return new Holder(database, (db, holder) -> db.read(h -> holder.hold()));
    }

    private Void hold() throws InterruptedException {
        held.countDown();
        release.await();
        return null;
    }

    /** Lets the held read or write end, and waits until it has. */
    @Override
    public void close() {
        release.countDown();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
