package registry.web;

import io.javalin.http.Context;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request (method, path, status, time), written by a background thread. Logging
 * from the request threads made them queue on the logger's lock whenever its holder was preempted;
 * under load that cost more than the requests themselves. If the log cannot keep up, lines are
 * dropped and counted rather than slowing the server.
 */
public final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("registry.request");

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
        if (LOG.isInfoEnabled()
                && !lines.offer(ctx.method() + " " + ctx.path() + " " + ctx.statusCode() + " " + String.format("%.1f", millis) + " ms")) {
            dropped.incrementAndGet();
        }
    }

    private void write() {
        try {
            while (true) {
                String line = lines.take();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    LOG.warn("{} request log lines dropped: the log could not keep up", lost);
                }
                LOG.info(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
