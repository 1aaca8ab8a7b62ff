package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** A thousand idle connections and a few slow-loris clients do not keep a normal client waiting. */
@Tag("sqlite-only")
@Tag("slow")
class SlowClientsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void idle_and_slow_connections_leave_room_for_a_normal_client() throws Exception {
        // What a normal request costs on this machine, as busy as it is now, before the crowd arrives.
        timedGet(); // the first also compiles the page's template
        long alone = 0;
        for (int i = 0; i < 10; i++) {
            alone = Math.max(alone, timedGet());
        }
        List<Socket> idle = new ArrayList<>();
        List<Thread> lorises = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new Socket("127.0.0.1", server.app.port()));
            }
            for (int i = 0; i < 5; i++) {
                Thread loris = new Thread(SlowClientsTest::trickle, "loris");
                loris.setDaemon(true);
                loris.start();
                lorises.add(loris);
            }
            for (int i = 0; i < 3; i++) {
                Thread upload = new Thread(SlowClientsTest::slowBody, "slow-body");
                upload.setDaemon(true);
                upload.start();
                lorises.add(upload);
            }
            Thread.sleep(500);

            // A starved request would wait for a thread until the 30 s idle timeout frees one; one that
            // is served costs about what it did alone, give or take the load of accepting the crowd.
            for (int i = 0; i < 10; i++) {
                assertThat(timedGet()).as("a normal request among idle and slow clients, against " + alone + " ms alone")
                        .isLessThan(1000 + 10 * alone);
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
            lorises.forEach(Thread::interrupt);
        }
    }

    /** GETs the user list and gives the milliseconds it took to answer 200. */
    private static long timedGet() {
        long start = System.nanoTime();
        HttpResponse<String> page = server.get("/users");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(page.statusCode()).isEqualTo(200);
        return millis;
    }

    /** Sends a request's headers one byte a second, never finishing them. */
    private static void trickle() {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            OutputStream out = socket.getOutputStream();
            for (byte b : "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(200);
            }
        } catch (Exception e) {
            // closed by the server or interrupted by the test: either way done
        }
    }

    /** Announces a body and sends it one byte at a time. */
    private static void slowBody() {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write('{');
                out.flush();
                Thread.sleep(100);
            }
        } catch (Exception e) {
            // cut off by the server for being too slow, or interrupted by the test
        }
    }
}
