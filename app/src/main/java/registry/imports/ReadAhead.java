package registry.imports;

import de.siegmar.fastcsv.reader.CsvRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import registry.web.CsvExport;
import registry.record.Forms;

/**
 * The rows of a file after its header, read and prepared by the target ({@link Target.Pass#prepare})
 * on a thread of their own, a few hundred rows ahead of the one applying them in the import's
 * transaction. The writer is the one thread every change waits for; parsing the CSV and checking
 * each row's form took a fifth of its time in an import, profiled, while the request's thread sat
 * waiting on another core.
 *
 * <p>What goes wrong while reading (a file that is not UTF-8, an unclosed quote) reaches the
 * applying thread at its place in the file, after the rows before it. Closing stops the reader
 * wherever it is.
 */
final class ReadAhead<P> implements AutoCloseable {
    /** Rows handed over at a time: one hand-over per row cost more than the rows' checks. */
    private static final int BATCH = 256;
    /** Batches read ahead at most: what the file holds beyond them waits in the file, not in memory. */
    private static final int AHEAD = 4;

    /** A row of the file as read: cells by column and what the pass prepared, or null when its cells do not match the header. */
    record Item<P>(CsvRecord record, Row row, P prepared, long bytesRead) {}

    private record Batch<P>(List<Item<P>> items, RuntimeException failure, boolean last) {}

    private final CsvInput csv;
    private final List<String> header;
    private final Target.Pass<P> pass;
    private final BlockingQueue<Batch<P>> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile boolean stopped;
    private Iterator<Item<P>> current = Collections.emptyIterator();
    private boolean ended;
    /** What stopped the reading, thrown once the rows read before it are used up. */
    private RuntimeException failure;
    private long bytesRead;

    ReadAhead(CsvInput csv, List<String> header, Target.Pass<P> pass) {
        this.csv = csv;
        this.header = header;
        this.pass = pass;
        this.thread = new Thread(this::read, "registry-import-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next row, or null after the last; throws what reading the file threw, where it threw it. */
    Item<P> next() {
        while (!current.hasNext()) {
            if (failure != null) {
                throw failure;
            }
            if (ended) {
                return null;
            }
            Batch<P> batch = take();
            current = batch.items().iterator();
            ended = batch.last();
            failure = batch.failure();
        }
        Item<P> item = current.next();
        bytesRead = item.bytesRead();
        return item;
    }

    /** Bytes of the file read up to the row last given out. */
    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        stopped = true;
        ready.clear(); // a reader waiting to hand over a batch sees the stop
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        List<Item<P>> items = new ArrayList<>(BATCH);
        try {
            CsvRecord record;
            while (!stopped && (record = csv.next()) != null) {
                Row row = record.getFieldCount() == header.size() ? row(record, header) : null;
                items.add(new Item<>(record, row, row == null ? null : pass.prepare(row), csv.bytesRead()));
                if (items.size() == BATCH) {
                    hand(new Batch<>(items, null, false));
                    items = new ArrayList<>(BATCH);
                }
            }
            hand(new Batch<>(items, null, true));
        } catch (RuntimeException e) {
            hand(new Batch<>(items, e, true));
        } catch (Error e) {
            hand(new Batch<>(items, new IllegalStateException("reading the file failed: " + e, e), true)); // else the import would wait forever
            throw e;
        }
    }

    /** Hands a batch over, waiting for room until it is taken or the import stops. */
    private void hand(Batch<P> batch) {
        try {
            while (!stopped && !ready.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                // the applying thread is behind: wait for it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch<P> take() {
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the import was interrupted", e);
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
