package dev.universerelay.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Pattern;

/**
 * The {@code %msg} of our log pattern, with anything that looks like a token replaced. Our own code
 * never logs tokens, but libraries do at debug level (request URIs with {@code ?access_token=},
 * events holding the raw JWT), and a debug session on a production node must not leak credentials.
 */
public final class TokenRedactingConverter extends MessageConverter {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern QUERY_TOKEN = Pattern.compile("((?:access_token|resume)=)[^&\\s\"']+");

    @Override
    public String convert(ILoggingEvent event) {
        return redact(super.convert(event));
    }

    /** The text with JWTs and token query parameters replaced by a marker. */
    public static String redact(String text) {
        if (text == null || (text.indexOf("eyJ") < 0 && text.indexOf("_token=") < 0 && text.indexOf("resume=") < 0)) {
            return text;
        }
        return QUERY_TOKEN.matcher(JWT.matcher(text).replaceAll("[token]")).replaceAll("$1[redacted]");
    }
}
