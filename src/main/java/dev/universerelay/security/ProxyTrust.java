package dev.universerelay.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who the client really is when a reverse proxy (TLS terminator, load balancer) sits in front.
 * {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} are believed only from the addresses
 * in {@code relay.trusted-proxies} (exact addresses or IPv4/IPv6 CIDR ranges); from anyone else
 * they are ignored, or a client could dodge the per-address cap or fake its origin.
 */
@Singleton
public final class ProxyTrust {
    private final List<Cidr> trusted;

    public ProxyTrust(@Value("${relay.trusted-proxies:}") List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    /** The client's address: the nearest untrusted hop of {@code X-Forwarded-For} behind trusted proxies. */
    public String clientAddress(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        if (!isTrusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeaders().get("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && (i == 0 || !isTrusted(hop))) {
                return hop;
            }
        }
        return peer;
    }

    /** The host the client asked for (for same-origin checks). */
    public String host(HttpRequest<?> request) {
        String forwarded = fromTrustedProxy(request) ? request.getHeaders().get("X-Forwarded-Host") : null;
        return forwarded != null ? forwarded.split(",")[0].trim() : request.getHeaders().get(HttpHeaders.HOST);
    }

    /** Whether the client reached us (or the proxy) over TLS. */
    public boolean secure(HttpRequest<?> request) {
        String proto = fromTrustedProxy(request) ? request.getHeaders().get("X-Forwarded-Proto") : null;
        return proto != null ? proto.split(",")[0].trim().equalsIgnoreCase("https") : request.isSecure();
    }

    private boolean fromTrustedProxy(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null && isTrusted(remote.getAddress().getHostAddress());
    }

    /** Whether a TCP peer address is one of {@code relay.trusted-proxies} (whose forwarded headers are believed). */
    public boolean isTrusted(String address) {
        for (Cidr range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address range; a plain address is a range of one. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.split("/");
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("relay.trusted-proxies: not an IP address or CIDR range: " + text);
            }
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
            return new Cidr(address, prefix);
        }

        boolean contains(String candidate) {
            byte[] address = literal(candidate);
            if (address == null || address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** Parses an IP literal without any DNS look-up; null when it is not one. */
        private static byte[] literal(String text) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.matches("[0-9a-fA-F:.]+") || !(t.contains(".") || t.contains(":"))) {
                return null;
            }
            try {
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
