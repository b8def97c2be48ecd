package dev.universerelay.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.io.IOException;
import java.io.InputStream;

/**
 * Serves the operator console's page at {@code /console} and {@code /console/} (its scripts are static resources under
 * {@code /console/}). The page itself holds no data: everything it shows comes from
 * {@code /api/console/*}, which needs an admin token. Its Content-Security-Policy lets it load
 * nothing but this server's own scripts and styles, so the admin token it keeps in the tab's
 * session storage cannot be read by a script from elsewhere.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class ConsolePageController {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private final byte[] page;

    ConsolePageController() throws IOException {
        try (InputStream in = ConsolePageController.class.getResourceAsStream("/public/console/index.html")) {
            page = in == null ? null : in.readAllBytes();
        }
    }

    @Get(value = "/console", produces = MediaType.TEXT_HTML)
    HttpResponse<?> page() {
        if (page == null) {
            return HttpResponse.notFound(new ApiError("the console is not in this build"));
        }
        return HttpResponse.ok(page).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }
}
