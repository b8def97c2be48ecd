package dev.universerelay.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token is read from the raw query, decoded like a form value. */
class QueryParameterTokenReaderTest {
    private static String token(String rawQuery) {
        return QueryParameterTokenReader.parameter(rawQuery, QueryParameterTokenReader.PARAMETER);
    }

    @Test
    void findsTheParameterWhereverItIs() {
        assertThat(token("access_token=a.b.c")).isEqualTo("a.b.c");
        assertThat(token("resume=r1&access_token=a.b.c&x=1")).isEqualTo("a.b.c");
        assertThat(token("access_token=first&access_token=second")).isEqualTo("first");
    }

    @Test
    void decodesNamesAndValues() {
        assertThat(token("access%5Ftoken=a%2Eb+c")).isEqualTo("a.b c");
        assertThat(token("access_token=%zz")).as("malformed escapes are kept as they are").isEqualTo("%zz");
    }

    @Test
    void absentOrEmpty() {
        assertThat(token(null)).isNull();
        assertThat(token("")).isNull();
        assertThat(token("access_tokens=x&token=y")).isNull();
        assertThat(token("access_token")).isEmpty();
        assertThat(token("access_token=")).isEmpty();
    }
}
