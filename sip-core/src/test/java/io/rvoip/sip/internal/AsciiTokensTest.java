package io.rvoip.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiTokensTest {
    private static final String UDP = "UDP";
    private static final AsciiTokens TABLE = new AsciiTokens(UDP, "TCP", "branch", "b");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void tokensComeBackSharedAndExactCaseOnly() {
        byte[] b = bytes(";UDP;udp;branch=x;TCPX;b");
        assertThat(TABLE.find(b, 1, 4)).isSameAs(UDP);
        assertThat(TABLE.latin1(b, 1, 4)).isSameAs(UDP);
        assertThat(TABLE.find(b, 5, 8)).as("another case is another text").isNull();
        assertThat(TABLE.latin1(b, 5, 8)).isEqualTo("udp");
        assertThat(TABLE.find(b, 9, 15)).isEqualTo("branch");
        assertThat(TABLE.find(b, 18, 22)).as("a longer word").isNull();
        assertThat(TABLE.find(b, 18, 21)).isEqualTo("TCP");
        assertThat(TABLE.find(b, 23, 24)).isEqualTo("b");
        assertThat(TABLE.find(b, 3, 3)).as("empty").isNull();
        assertThat(TABLE.find(bytes("\u00e9UDP"), 0, 4)).isNull();
    }

    @Test
    void helpers() {
        byte[] b = bytes("a:b\u00ff");
        assertThat(AsciiTokens.indexOf(b, 0, b.length, (byte) ':')).isEqualTo(1);
        assertThat(AsciiTokens.indexOf(b, 2, b.length, (byte) ':')).isEqualTo(-1);
        assertThat(AsciiTokens.latin1String(b, 2, 4)).isEqualTo("b\u00ff");
        assertThat(AsciiTokens.same(bytes("b\u00ff"), b, 2, 2)).isTrue();
        assertThatThrownBy(() -> new AsciiTokens("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AsciiTokens("x".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lineFeedFindsTheFirstLfAtEveryPositionAndRange() {
        java.util.Random r = new java.util.Random(5);
        for (int n = 0; n < 2000; n++) {
            byte[] b = new byte[1 + r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int k = r.nextInt(6);
                b[i] = (byte) (k == 0 ? '\n' : k == 1 ? 0x8a : k == 2 ? 0x0b : k == 3 ? 0x09 : 'a' + r.nextInt(26));
            }
            int from = r.nextInt(b.length + 1);
            int to = from + r.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(AsciiTokens.lineFeed(b, from, to)).as("%s [%d, %d)", java.util.Arrays.toString(b), from, to)
                    .isEqualTo(expected);
        }
    }
}
