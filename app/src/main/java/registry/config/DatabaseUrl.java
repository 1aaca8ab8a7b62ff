package registry.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL as people may see it, and the URLs Registry refuses. Every message and log line that
 * names a database goes through {@link #shown}: a URL may carry a password, and logs are read by
 * more people than the configuration.
 */
public final class DatabaseUrl {
    /** {@code user:password@} after {@code //}: the password is group 2. */
    private static final Pattern USERINFO = Pattern.compile("(//[^/?#@:]*):([^/?#@]*)@");
    /**
     * A parameter ({@code ?a=b&c=d}, MariaDB's {@code ;} and {@code (key=value)} forms too) whose name
     * says it is a secret; the value is group 2.
     */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "([?&;(][^=&;?()#/]*(?:password|passwd|pwd|secret|token|key|credential)[^=&;?()#/]*=)([^&;)#]*)",
            Pattern.CASE_INSENSITIVE);
    private static final String HIDDEN = "***";

    static final String IN_MEMORY = "in-memory SQLite is not supported: Registry keeps its data in a file; give jdbc:sqlite:PATH";

    private DatabaseUrl() {}

    /** {@code url} with its password and any other secret parameter replaced by {@code ***}. */
    public static String shown(String url) {
        String shown = USERINFO.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + HIDDEN + "@"));
        return SECRET_PARAMETER.matcher(shown).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + HIDDEN));
    }

    /**
     * {@code text} (a driver's message, say) with every secret of {@code url} replaced by {@code ***}:
     * drivers may quote the URL they were given, or a part of it.
     */
    public static String scrub(String text, String url) {
        if (text == null) {
            return null;
        }
        String scrubbed = text.replace(url, shown(url));
        for (String secret : secrets(url)) {
            scrubbed = scrubbed.replace(secret, HIDDEN);
        }
        return scrubbed;
    }

    private static List<String> secrets(String url) {
        List<String> secrets = new ArrayList<>();
        for (Pattern pattern : List.of(USERINFO, SECRET_PARAMETER)) {
            Matcher m = pattern.matcher(url);
            while (m.find()) {
                String value = m.group(2);
                if (!value.isEmpty()) {
                    secrets.add(value);
                    try {
                        secrets.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // not percent-encoded after all: the raw value is already listed
                    }
                }
            }
        }
        return secrets;
    }

    /**
     * Refuses an in-memory SQLite database ({@code jdbc:sqlite:}, {@code :memory:}, {@code mode=memory}):
     * each connection of the pools would get a database of its own, and everything would be lost at
     * the end. {@code source} names where the URL came from (a key or a flag).
     *
     * @throws ConfigException naming {@code source}
     */
    public static void requireStored(String source, String url) {
        if (isInMemorySqlite(url)) {
            throw new ConfigException(source + ": " + IN_MEMORY);
        }
    }

    static boolean isInMemorySqlite(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:sqlite:")) {
            return false;
        }
        String name = lower.substring("jdbc:sqlite:".length());
        int query = name.indexOf('?');
        String parameters = query < 0 ? "" : name.substring(query + 1);
        name = query < 0 ? name : name.substring(0, query);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        return name.isBlank() || name.equals(":memory:") || name.startsWith(":memory:")
                || Pattern.compile("(^|&)mode=memory(&|$)").matcher(parameters).find();
    }
}
