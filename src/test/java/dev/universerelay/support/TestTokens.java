package dev.universerelay.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Tokens made the way an identity provider would, to test what the handshake accepts. */
public final class TestTokens {
    /** The secret of application-test.yml. */
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!!";

    private TestTokens() {
    }

    /** Claims for a player valid for an hour, plus {@code extra} (null values remove a claim). */
    public static JWTClaimsSet claims(String subject, Map<String, Object> extra) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(subject).claim("name", subject)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
        extra.forEach(builder::claim);
        return builder.build();
    }

    /** A player's token for {@code subject}, valid for an hour, signed with the test secret. */
    public static String token(String subject) {
        return hs256(claims(subject, Map.of()));
    }

    /** {@link #token(String)} with more claims (null values remove one). */
    public static String token(String subject, Map<String, Object> extra) {
        return hs256(claims(subject, extra));
    }

    public static String hs256(JWTClaimsSet claims) {
        return hs256(claims, SECRET);
    }

    public static String hs256(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(JWTClaimsSet claims, RSAPrivateKey key, String keyId) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}), which must always be refused. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}
