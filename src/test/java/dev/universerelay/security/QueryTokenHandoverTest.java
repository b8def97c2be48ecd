package dev.universerelay.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * The token of a universe handshake leaves the URL (which Micronaut keeps for the socket's life)
 * for the Authorization header, and every other part of the request stays as the client sent it.
 */
class QueryTokenHandoverTest {
    private static HttpRequest request(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private static HttpRequest handedOver(String uri) {
        HttpRequest request = request(uri);
        QueryTokenHandover.moveToHeader(request);
        return request;
    }

    @Test
    void theTokenMovesToABearerHeaderAndLeavesTheUrl() {
        HttpRequest request = handedOver("/ws/universes/arena?access_token=aaa.bbb.ccc");
        assertThat(request.uri()).isEqualTo("/ws/universes/arena");
        assertThat(request.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer aaa.bbb.ccc");
    }

    @Test
    void otherParametersKeepTheirOrderAndAFragmentStays() {
        assertThat(handedOver("/ws/universes/arena?delay=2000&access_token=t.o.k&x=1#top").uri())
                .isEqualTo("/ws/universes/arena?delay=2000&x=1#top");
        assertThat(handedOver("/ws/universes/arena?access_token=t.o.k&delay=2000").uri())
                .isEqualTo("/ws/universes/arena?delay=2000");
    }

    @Test
    void aPercentEncodedTokenIsDecodedAndARepeatedParameterGoesToo() {
        HttpRequest request = handedOver("/ws/universes/arena?access_token=a%2Eb.c&access_token=second");
        assertThat(request.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer a.b.c");
        assertThat(request.uri()).isEqualTo("/ws/universes/arena");
    }

    @Test
    void anAuthorizationHeaderOfTheClientWinsAndTheRequestStaysAsItCame() {
        HttpRequest request = request("/ws/universes/arena?access_token=query.token.here");
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer header.token.here");
        QueryTokenHandover.moveToHeader(request);
        assertThat(request.uri()).isEqualTo("/ws/universes/arena?access_token=query.token.here");
        assertThat(request.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer header.token.here");
    }

    @Test
    void emptyAbsentOrUnheaderableTokensLeaveTheRequestAlone() {
        for (String uri : new String[] {
                "/ws/universes/arena", "/ws/universes/arena?delay=10", "/ws/universes/arena?access_token=",
                "/ws/universes/arena?access_token=%20%20", "/ws/universes/arena?access_token=a%0D%0Ab",
                "/ws/universes/arena?access_token=caf%C3%A9"}) {
            HttpRequest request = handedOver(uri);
            assertThat(request.uri()).as(uri).isEqualTo(uri);
            assertThat(request.headers().contains(HttpHeaderNames.AUTHORIZATION)).as(uri).isFalse();
        }
    }
}
