package dev.universerelay.transport;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * The body of every error Micronaut answers by itself (the security filter's 401 and 403, 404 of
 * unknown paths, 400 of undecodable requests, 413 and the like): {@code {"status","message"}}, the
 * same shape as a refused handshake ({@link HandshakeRefusal}). It replaces Micronaut's default,
 * whose body links back to the request's URL, query string and so {@code ?access_token=} included;
 * this one never echoes the request: the message is a fixed sentence for the status.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class QuietErrorResponses implements ErrorResponseProcessor<HandshakeRefusal> {
    @Override
    public MutableHttpResponse<HandshakeRefusal> processResponse(ErrorContext errorContext, MutableHttpResponse<?> response) {
        int status = response.code();
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(new HandshakeRefusal(status, message(status)));
    }

    static String message(int status) {
        if (status == HttpStatus.UNAUTHORIZED.getCode()) {
            return "a missing, invalid or expired token";
        }
        if (status == HttpStatus.FORBIDDEN.getCode()) {
            return "your token does not allow this";
        }
        try {
            return HttpStatus.valueOf(status).getReason().toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException unknown) {
            return "error";
        }
    }
}
