package dev.universerelay.security;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import io.micronaut.context.annotation.Context;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the HS256 key that signs guest tokens and verifies HS256 tokens. It is a bean rather
 * than plain configuration so that the server runs out of the box with a random key (and says
 * so loudly) while refusing a configured key that is too short to be safe. The method returns the
 * interface on purpose: declared as {@code SecretSignature}, the bean would inherit that class's
 * {@code @EachBean} and silently never exist.
 */
@Factory
final class JwtSigningFactory {
    private static final Logger LOG = LoggerFactory.getLogger(JwtSigningFactory.class);
    static final int MIN_SECRET_BYTES = 32;

    @Context // made at start-up, so that the warning about a random secret shows there
    @Named("generator")
    SignatureGeneratorConfiguration hs256Signature(SecurityConfiguration config) {
        String secret = config.jwtSecret();
        if (secret == null || secret.isBlank()) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            LOG.warn("RELAY_JWT_SECRET is not set: using a random HS256 secret made at start-up. Tokens will not survive "
                    + "a restart and other nodes will not accept them; set RELAY_JWT_SECRET (32 bytes or more) in production.");
        } else if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigurationException("relay.security.jwt-secret (RELAY_JWT_SECRET) must be at least "
                    + MIN_SECRET_BYTES + " bytes long");
        }
        SecretSignatureConfiguration signature = new SecretSignatureConfiguration("generator");
        signature.setSecret(secret);
        signature.setJwsAlgorithm(JWSAlgorithm.HS256);
        return new SecretSignature(signature);
    }
}
