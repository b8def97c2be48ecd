package dev.universerelay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyTrustTest {
    @Test
    void addressesAndRangesAreMatchedBitForBit() {
        ProxyTrust trust = new ProxyTrust(List.of("10.0.0.0/8", "192.168.1.10", "fd00::/8"));
        assertThat(trust.isTrusted("10.255.1.2")).isTrue();
        assertThat(trust.isTrusted("11.0.0.1")).isFalse();
        assertThat(trust.isTrusted("192.168.1.10")).isTrue();
        assertThat(trust.isTrusted("192.168.1.11")).isFalse();
        assertThat(trust.isTrusted("fd12::1")).isTrue();
        assertThat(trust.isTrusted("fe80::1")).isFalse();
        assertThat(trust.isTrusted("example.com")).as("never a DNS look-up").isFalse();
    }

    @Test
    void nothingIsTrustedByDefaultAndGarbageIsRefusedAtStartUp() {
        assertThat(new ProxyTrust(List.of()).isTrusted("127.0.0.1")).isFalse();
        assertThatThrownBy(() -> new ProxyTrust(List.of("proxy.internal"))).hasMessageContaining("relay.trusted-proxies");
    }
}
