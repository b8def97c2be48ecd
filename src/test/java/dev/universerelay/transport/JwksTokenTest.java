package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Production deployments verify tokens of their own identity provider: here a provider made in the
 * test publishes its public key as a JWKS document, and the relay is configured with its URL.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksTokenTest implements TestPropertyProvider {
    private HttpServer identityProvider;
    private KeyPair keys;

    @Inject
    Relay relay;

    /** Starts the identity provider before the relay, which is configured with its JWKS URL. */
    @Override
    public Map<String, String> getProperties() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID("idp-key").build()).toString();
            identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            identityProvider.createContext("/.well-known/jwks.json", exchange -> {
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            identityProvider.start();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("micronaut.security.token.jwt.signatures.jwks.idp.url",
                "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/.well-known/jwks.json");
    }

    @AfterAll
    void stop() {
        identityProvider.stop(0);
    }

    @Test
    void tokensSignedByTheProvidersKeyAreAcceptedAndOthersAreNot() {
        var claims = TestTokens.claims("idp-user-1", Map.of("name", "Grace"));
        String token = TestTokens.rs256(claims, (RSAPrivateKey) keys.getPrivate(), "idp-key");
        RelayTestClient grace = relay.connect("federated", token, BIN);
        assertThat(grace.awaitType("welcome").get("name")).isEqualTo("Grace");

        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String forged = TestTokens.rs256(claims, (RSAPrivateKey) generator.generateKeyPair().getPrivate(), "idp-key");
            relay.connect("federated", forged, BIN);
            throw new AssertionError("a token signed by another key was accepted");
        } catch (RelayTestClient.HandshakeRefused e) {
            assertThat(e.status()).isEqualTo(401);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
