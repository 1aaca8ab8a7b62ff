package registry.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import registry.access.Caller;
import registry.access.Role;
import registry.web.Access;
import registry.web.Json;

/**
 * {@code GET /api/changes/stream}: each history entry as a Server-Sent Event, as it is written on
 * any instance. Entries are read from the database, not from this process: one broadcaster thread
 * per server asks {@link History#after} every {@link #POLL_MS} for everything new (one query for
 * all clients) and hands each client what it may see. A client costs no thread while it waits: its
 * request is held open with the servlet async API and written without blocking, so a client that
 * reads too slowly (its output stays not ready for {@link #STALL_MS}) or has gone is dropped,
 * never waited for; an EventSource comes back with {@code Last-Event-ID} and misses nothing.
 */
public final class ChangeStream {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);
    /** How often the database is asked for new entries: an entry shows within about this long. */
    static final long POLL_MS = 200;
    /**
     * A comment line this often keeps a quiet stream open through Jetty's 30 s idle timeout (and
     * proxies'), and finds clients that have gone: a write to a closed connection fails at the
     * second try, so a vanished client is dropped within two of these (1,000 streams cost 200 small
     * writes a second).
     */
    static final long HEARTBEAT_MS = 5_000;
    /** How long a client's output may stay not ready (its buffers full) before it is dropped. */
    static final long STALL_MS = 5_000;
    /** Entries read at once, for everyone and for one client catching up. */
    static final int BATCH = 1000;
    /** Clients that catch up (resume from an older id) with a query of their own, at most this many each poll. */
    static final int CATCH_UPS_PER_POLL = 50;

    /** Where the app keeps its stream, for tests that count the open ones. */
    public static final Key<ChangeStream> KEY = new Key<>("registry.change-stream");

    private final History history;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService broadcaster;
    /** The newest entry the broadcaster has read, or -1 when it has not read yet (only its thread uses it). */
    private long lastSeen = -1;

    public ChangeStream(History history) {
        this.history = history;
    }

    /** The route, and the broadcaster's life: it runs while the server does, and ends every stream as the server stops. */
    public void register(JavalinConfig cfg) {
        cfg.appData(KEY, this);
        cfg.routes.get("/api/changes/stream", this::open);
        cfg.events.serverStarted(this::start);
        // Before Jetty stops: the GracefulHandler would otherwise wait for each open stream to end.
        cfg.events.serverStopping(this::stop);
    }

    /** The streams open now. */
    public int size() {
        return clients.size();
    }

    synchronized void start() {
        if (broadcaster == null) {
            broadcaster = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "registry-change-stream");
                thread.setDaemon(true);
                return thread;
            });
            broadcaster.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        if (broadcaster != null) {
            broadcaster.shutdownNow();
            try {
                broadcaster.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            broadcaster = null;
        }
        clients.forEach(Client::drop);
    }

    private void open(Context ctx) {
        long after = resumeAfter(ctx);
        boolean admin = Access.caller(ctx).map(Caller::role).filter(role -> role == Role.ADMIN).isPresent();
        ctx.status(200).contentType("text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no"); // a proxy (nginx) must pass each event on at once
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        long from = after >= 0 ? after : history.head();
        AsyncContext async = ctx.req().startAsync();
        async.setTimeout(0);
        ServletOutputStream out;
        try {
            out = ctx.res().getOutputStream();
        } catch (IOException e) {
            async.complete();
            return;
        }
        Client client = new Client(out, admin, from);
        async.addListener(client);
        out.setWriteListener(client);
        clients.add(client);
        // Javalin completes a request that its handler put in async mode as soon as the handler
        // returns, unless given a future: the stream ends (and is logged) when this one completes.
        ctx.future(() -> client.ended);
    }

    /** {@code Last-Event-ID}, else {@code ?after=}: the id to resume after; -1: from now on. */
    private static long resumeAfter(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        if (raw == null || raw.isBlank()) {
            raw = ctx.queryParam("after");
        }
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        try {
            long after = Long.parseLong(raw.strip());
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequestResponse("Last-Event-ID and after must be the id of an entry (a whole number, 0 or more)");
    }

    /** One poll: the new entries for everyone, then each client its share. A failure is logged and the next poll tries again. */
    void poll() {
        try {
            if (clients.isEmpty()) {
                lastSeen = -1;
                return;
            }
            long before = lastSeen < 0 ? history.head() : lastSeen;
            List<Entry> fresh = history.after(before, BATCH, true);
            lastSeen = fresh.isEmpty() ? before : fresh.get(fresh.size() - 1).id();
            long now = System.currentTimeMillis();
            int catchUps = 0;
            for (Client client : clients) {
                if (!client.writable(now)) {
                    continue;
                }
                if (client.cursor < before) {
                    if (catchUps++ >= CATCH_UPS_PER_POLL) {
                        continue;
                    }
                    List<Entry> own = history.after(client.cursor, BATCH, client.admin);
                    // Fewer than a batch: it saw everything up to lastSeen, its account entries included.
                    client.send(own, own.size() < BATCH ? lastSeen : -1, now);
                } else {
                    client.send(fresh, lastSeen, now);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The change stream could not read the history; trying again in {} ms: {}", POLL_MS, e.toString());
        }
    }

    /** An entry as the feed gives it, on one line (JSON escapes every line break inside a string). */
    private static String json(Entry entry) {
        try {
            return Json.MAPPER.writeValueAsString(HistoryWeb.json(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("history entry " + entry.id() + " cannot be written as JSON", e);
        }
    }

    /** One open stream. Only the broadcaster writes to it; the container only tells it that it ended. */
    private final class Client implements AsyncListener, WriteListener {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final ServletOutputStream out;
        final boolean admin;
        /** The last entry id this client has been given (or has no right to). */
        long cursor;
        boolean greeted;
        long lastWrite;
        /** Since when its output has not been ready; 0: it is. */
        long stalledSince;

        Client(ServletOutputStream out, boolean admin, long cursor) {
            this.out = out;
            this.admin = admin;
            this.cursor = cursor;
        }

        /** Whether a write now would not block: else it waits, and is dropped once it has waited {@link #STALL_MS}. */
        boolean writable(long now) {
            if (ended.isDone()) {
                return false;
            }
            if (out.isReady()) {
                stalledSince = 0;
                return true;
            }
            if (stalledSince == 0) {
                stalledSince = now;
            } else if (now - stalledSince >= STALL_MS) {
                drop();
            }
            return false;
        }

        /** The entries after its cursor that it may see, in one write; {@code seen}: how far it has now seen (-1: its last entry). */
        void send(List<Entry> entries, long seen, long now) {
            StringBuilder text = new StringBuilder();
            if (!greeted) {
                text.append(": registry changes\nretry: 2000\n\n");
                greeted = true;
            }
            for (Entry entry : entries) {
                if (entry.id() <= cursor) {
                    continue;
                }
                cursor = entry.id();
                if (admin || !entry.kind().equals(History.ACCOUNTS)) {
                    text.append("id: ").append(entry.id()).append("\nevent: change\ndata: ").append(json(entry))
                            .append("\n\n");
                }
            }
            cursor = Math.max(cursor, seen);
            if (text.isEmpty() && now - lastWrite >= HEARTBEAT_MS) {
                text.append(":\n\n");
            }
            if (text.isEmpty()) {
                return;
            }
            try {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                if (out.isReady()) {
                    out.flush(); // a small write is only gathered, not sent, until flushed
                }
                lastWrite = now;
            } catch (IOException | IllegalStateException e) {
                drop(); // gone
            }
        }

        void drop() {
            clients.remove(this);
            ended.complete(null);
        }

        @Override
        public void onWritePossible() {
            // The broadcaster checks isReady at its next poll.
        }

        @Override
        public void onError(Throwable failure) {
            drop();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            drop();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            drop();
        }

        @Override
        public void onError(AsyncEvent event) {
            drop();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // nothing
        }
    }
}
