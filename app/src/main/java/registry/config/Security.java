package registry.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Who may reach what, and how the server is reached: SPEC "Accounts and access" and the
 * {@code security.*} and {@code server.*} keys beyond host and port.
 *
 * @param publicRead         {@code security.public-read}: records may be read without signing in
 * @param sessionIdleMinutes {@code security.session-idle-minutes}: a session unused this long ends
 * @param publicUrl          {@code server.public-url}: the address users reach, when it is not http://HOST:PORT
 * @param allowedHosts       {@code server.allowed-hosts}: names accepted in {@code Host} besides the loopback ones
 * @param trustedProxies     {@code server.trusted-proxies}: addresses (CIDR) whose {@code X-Forwarded-*} are believed
 */
public record Security(boolean publicRead, int sessionIdleMinutes, Optional<URI> publicUrl, List<String> allowedHosts,
                       List<String> trustedProxies) {
    public static final int SESSION_IDLE_MINUTES = 480;

    public Security {
        allowedHosts = List.copyOf(allowedHosts);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** The defaults of SPEC "Configuration": nothing public, no proxies, loopback names only. */
    public static Security defaults() {
        return new Security(false, SESSION_IDLE_MINUTES, Optional.empty(), List.of(), List.of());
    }

    public Security withPublicRead(boolean on) {
        return new Security(on, sessionIdleMinutes, publicUrl, allowedHosts, trustedProxies);
    }

    /** Whether users reach the server over https, which makes its cookies Secure and adds HSTS. */
    public boolean https() {
        return publicUrl.map(url -> "https".equalsIgnoreCase(url.getScheme())).orElse(false);
    }
}
