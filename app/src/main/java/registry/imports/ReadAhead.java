package registry.imports;

import de.siegmar.fastcsv.reader.CsvRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import registry.record.Forms;
import registry.web.CsvExport;

/**
 * The rows of a file after its header, parsed and prepared by the target ({@link Target.Pass#prepare})
 * on a thread of their own, up to a few hundred rows ahead of the thread that applies them in the
 * import's transaction. That thread is SQLite's writer, which every change waits for; parsing the
 * CSV and checking the rows' forms was about a fifth of its CPU in an import of new movies, profiled,
 * while the request's thread sat waiting on the other core.
 *
 * <p>What makes the rest of the file unreadable (bytes that are not UTF-8, an unclosed quote)
 * reaches the applying thread after the rows parsed before it. Memory stays bounded by characters
 * as well as rows: a file of megabyte rows holds about {@link #BUDGET} characters ahead, not
 * hundreds of rows. Closing stops the reader after the row it is on, and waits for it.
 */
final class ReadAhead<P> implements AutoCloseable {
    /** Rows handed over at a time: one hand-over per row cost more than the rows' own checks. */
    private static final int BATCH = 256;
    /** Characters of cells read ahead at most (beyond the batch being filled); each batch counts at least a quarter. */
    static final int BUDGET = 1 << 20;

    /** A row of the file as read: its cells by column and what the pass prepared, or null for both when its cells do not match the header. */
    record Item<P>(CsvRecord record, Row row, P prepared, long bytesRead) {}

    /** Rows handed over together; the last one says what ended the reading (the end of the file, or a failure) and the bytes read. */
    private record Batch<P>(List<Item<P>> items, int cost, boolean last, RuntimeException failure, long bytesRead) {}

    private final CsvInput csv;
    private final List<String> header;
    private final Target.Pass<P> pass;
    private final BlockingQueue<Batch<P>> ready = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(BUDGET);
    private final Thread thread;
    private volatile boolean stopped;

    /** The applying thread's side. */
    private Iterator<Item<P>> current = Collections.emptyIterator();
    private Batch<P> taken;
    private boolean ended;
    private long bytesRead;

    ReadAhead(CsvInput csv, List<String> header, Target.Pass<P> pass) {
        this.csv = csv;
        this.header = header;
        this.pass = pass;
        this.thread = new Thread(this::read, "registry-import-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next row, or null after the last; throws what reading the file threw, once the rows before it are given out. */
    Item<P> next() {
        while (!current.hasNext()) {
            if (taken != null) {
                Batch<P> done = taken;
                taken = null;
                room.release(done.cost());
                if (done.last()) {
                    ended = true;
                    bytesRead = done.bytesRead();
                    if (done.failure() != null) {
                        throw done.failure();
                    }
                }
            }
            if (ended) {
                return null;
            }
            taken = take();
            current = taken.items().iterator();
        }
        Item<P> item = current.next();
        bytesRead = item.bytesRead();
        return item;
    }

    /** Bytes of the file read up to the row last given out; after the last, the whole file's. */
    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the reader may still be using the CSV input, which the caller closes next
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        List<Item<P>> items = new ArrayList<>(BATCH);
        int chars = 0;
        try {
            CsvRecord record;
            while (!stopped && (record = csv.next()) != null) {
                Row row = record.getFieldCount() == header.size() ? row(record, header) : null;
                items.add(new Item<>(record, row, row == null ? null : pass.prepare(row), csv.bytesRead()));
                for (String field : record.getFields()) {
                    chars += field.length();
                }
                if (items.size() == BATCH || chars >= BUDGET / 4) {
                    hand(items, chars, false, null);
                    items = new ArrayList<>(BATCH);
                    chars = 0;
                }
            }
            hand(items, chars, true, null);
        } catch (RuntimeException e) {
            hand(items, chars, true, e);
        } catch (Error e) {
            hand(items, chars, true, new IllegalStateException("reading the file failed: " + e, e));
            throw e;
        }
    }

    /** Hands rows over once there is room for them, unless the import stopped meanwhile. */
    private void hand(List<Item<P>> items, int chars, boolean last, RuntimeException failure) {
        int cost = Math.min(BUDGET, Math.max(chars, BUDGET / 4));
        boolean interrupted = false;
        try {
            while (!stopped) {
                try {
                    if (room.tryAcquire(cost, 50, TimeUnit.MILLISECONDS)) {
                        ready.add(new Batch<>(items, cost, last, failure, csv.bytesRead()));
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the applying thread waits for this batch: hand it over all the same
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next batch; should the reader be gone without handing over its last one, a failure rather than a wait for ever. */
    private Batch<P> take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Batch<P> batch = ready.poll(50, TimeUnit.MILLISECONDS);
                    if (batch != null) {
                        return batch;
                    }
                    if (!thread.isAlive() && ready.isEmpty()) {
                        throw new IllegalStateException("the thread reading the file ended before its end");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A record as a row: the cells of the target's columns, cleaned as form input is. */
    private static Row row(CsvRecord record, List<String> header) {
        Map<String, String> cells = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            cells.put(header.get(i), Forms.clean(CsvExport.original(record.getField(i))));
        }
        return new Row(record.getStartingLineNumber(), cells);
    }
}
