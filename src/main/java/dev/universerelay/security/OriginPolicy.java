package dev.universerelay.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Decides which web pages may open a relay socket. Browsers attach the page's {@code Origin} to a
 * WebSocket handshake but apply no same-origin rule to it, so without this check any site a
 * player visits could play in their name. Same-origin pages, clients that send no Origin (native
 * clients, servers) and the configured {@code relay.allowed-origins} are let in; {@code *} lets
 * every origin in.
 */
@Singleton
public final class OriginPolicy {
    private final List<String> allowed;

    public OriginPolicy(@Value("${relay.allowed-origins:}") List<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).filter(o -> o != null).toList();
    }

    /**
     * @param origin the Origin header, or null
     * @param host   the Host header by which the client reached us
     * @param secure whether the client reached us over TLS
     */
    public boolean allows(@Nullable String origin, @Nullable String host, boolean secure) {
        if (origin == null) {
            return true;
        }
        String normalised = normalise(origin);
        if (normalised == null) {
            return false;
        }
        if (allowed.contains("*") || allowed.contains(normalised)) {
            return true;
        }
        return host != null && normalised.equals(normalise((secure ? "https://" : "http://") + host));
    }

    /** scheme://host:port in lower case with the default port made explicit; null when unparsable. */
    static String normalise(String origin) {
        if (origin.equals("*")) {
            return origin;
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : switch (scheme) {
                case "https", "wss" -> 443;
                default -> 80;
            };
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (Exception e) {
            return null;
        }
    }
}
