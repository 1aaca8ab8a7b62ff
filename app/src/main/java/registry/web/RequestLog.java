package registry.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request (method, path, status, time), written by a background thread. Logging
 * from the request threads made them queue on the logger's lock whenever its holder was preempted;
 * under load that cost more than the requests themselves. The writer takes what has queued every
 * {@link #PAUSE_MS} ms, so a request only adds its line, without waking a thread. If the log
 * cannot keep up, lines are dropped and counted rather than slowing the server.
 */
public final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("registry.request");
    private static final long PAUSE_MS = 50;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16_384);
    private final AtomicLong dropped = new AtomicLong();

    public RequestLog() {
        if (LOG.isInfoEnabled()) {
            Thread writer = new Thread(this::write, "request-log");
            writer.setDaemon(true);
            writer.start();
        }
    }

    public void log(Context ctx, float millis) {
        if (LOG.isInfoEnabled() && !lines.offer(ctx.req().getMethod() + " " + shown(ctx.path()) + " " + ctx.statusCode() + " " + tenths(millis) + " ms")) {
            dropped.incrementAndGet();
        }
    }

    /** The path as logged: the secret of a setup link is not written where whoever reads logs could use it first. */
    static String shown(String path) {
        return path.startsWith("/setup/") ? "/setup/***" : path;
    }

    /** "12.3": String.format cost a third of the logging. */
    static String tenths(float millis) {
        long tenths = Math.round(millis * 10.0);
        return tenths / 10 + "." + tenths % 10;
    }

    private void write() {
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(lines.take());
                lines.drainTo(batch);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    LOG.warn("{} request log lines dropped: the log could not keep up", lost);
                }
                batch.forEach(LOG::info);
                batch.clear();
                Thread.sleep(PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
