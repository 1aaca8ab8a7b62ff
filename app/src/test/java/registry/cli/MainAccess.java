package registry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Lets tests in other packages run the command line with their own output streams. */
public final class MainAccess {
    private MainAccess() {}

    /** What a command printed, and its exit code. */
    public record Run(int code, String out, String err) {}

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.run(out, err, args);
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
