package registry;

import java.io.PrintWriter;

/** Lets tests in other packages run the command line with their own output streams. */
public final class MainAccess {
    private MainAccess() {}

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.run(out, err, args);
    }
}
