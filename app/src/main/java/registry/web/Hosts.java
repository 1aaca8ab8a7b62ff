package registry.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import registry.config.Cidr;
import registry.config.Config;

/**
 * Where requests may come from and who sent them: the {@code Host} check against DNS rebinding,
 * this site's origins (for the {@code Origin} check of writes), and the client's address behind
 * trusted proxies.
 */
public final class Hosts {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final boolean checkHost;
    private final Set<String> allowed = new HashSet<>(LOOPBACK);
    private final Optional<String> publicOrigin;
    private final List<Cidr> proxies;

    public Hosts(Config config) {
        config.security().allowedHosts().forEach(host -> allowed.add(host.toLowerCase(Locale.ROOT)));
        this.publicOrigin = config.security().publicUrl().map(Hosts::origin);
        config.security().publicUrl().map(URI::getHost).ifPresent(host -> allowed.add(host.toLowerCase(Locale.ROOT)));
        // A server on a loopback address is reached through names that point at this machine; any
        // other name in Host is a page that had its name re-pointed here (DNS rebinding).
        this.checkHost = loopback(config.host()) || !config.security().allowedHosts().isEmpty();
        this.proxies = config.security().trustedProxies().stream().map(p -> Cidr.parse(p).orElseThrow()).toList();
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /** "https://example.org" or "http://127.0.0.1:8080": scheme, host, and the port unless it is the scheme's own. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean usual = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (usual ? "" : ":" + port);
    }

    /** 400 for a {@code Host} that does not name this server. */
    void checkHost(Context ctx) {
        if (!checkHost) {
            return;
        }
        String host = ctx.header("Host");
        if (host == null || !allowed.contains(hostName(host))) {
            throw new BadRequestResponse("This server does not answer to the host name in the request; "
                    + "add it to server.allowed-hosts if it is yours");
        }
    }

    /** The name part of a {@code Host} value, lower case: "[::1]:8080" → "[::1]". */
    private static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /**
     * Whether {@code origin} (an {@code Origin} header) is this site: {@code server.public-url}'s
     * origin when one is set, else the scheme this request came by and its (checked) {@code Host}.
     */
    boolean ownOrigin(Context ctx, String origin) {
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String given = origin(uri);
        if (publicOrigin.isPresent()) {
            return given.equals(publicOrigin.get());
        }
        String host = ctx.header("Host");
        if (host == null) {
            return false;
        }
        try {
            return given.equals(origin(new URI(scheme(ctx) + "://" + host.strip())));
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    /** http or https, as the client reached us (a trusted proxy's {@code X-Forwarded-Proto} is believed). */
    String scheme(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null && fromProxy(ctx)) {
            String proto = forwarded.split(",")[0].strip().toLowerCase(Locale.ROOT);
            if (proto.equals("http") || proto.equals("https")) {
                return proto;
            }
        }
        return "http";
    }

    /**
     * The client's address: the connection's, or, when that is a trusted proxy, the last address
     * in {@code X-Forwarded-For} that is not one of the trusted proxies (earlier ones are whatever
     * the client chose to send).
     */
    public String clientAddress(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || !fromProxy(ctx)) {
            return remote;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            Optional<InetAddress> address = literal(hop);
            if (address.isEmpty()) {
                return remote; // a hop we cannot read: trust nothing before it
            }
            if (!trusted(address.get())) {
                return address.get().getHostAddress();
            }
        }
        return remote;
    }

    private boolean fromProxy(Context ctx) {
        return !proxies.isEmpty() && literal(ctx.req().getRemoteAddr()).map(this::trusted).orElse(false);
    }

    private boolean trusted(InetAddress address) {
        return proxies.stream().anyMatch(block -> block.contains(address));
    }

    private static Optional<InetAddress> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45 || !text.matches("[0-9A-Fa-f:.\\[\\]]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // digits, dots and colons only: parsed, never looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
