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
    void eachByteSearchFindsTheFirstAtEveryPositionAndRange() {
        java.util.Random r = new java.util.Random(5);
        for (byte target : new byte[] {'\n', ':', ',', '>', (byte) 0xE9}) {
            for (int n = 0; n < 2000; n++) {
                byte[] b = new byte[1 + r.nextInt(40)];
                for (int i = 0; i < b.length; i++) { // the target, and bytes one bit away from it
                    int k = r.nextInt(6);
                    b[i] = (byte) (k == 0 ? target : k == 1 ? target | 0x80 : k == 2 ? target + 1 : k == 3 ? target - 1
                            : 'a' + r.nextInt(26));
                }
                int from = r.nextInt(b.length + 1);
                int to = from + r.nextInt(b.length - from + 1);
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (b[i] == target) {
                        expected = i;
                        break;
                    }
                }
                int found = target == '\n' ? AsciiTokens.lineFeed(b, from, to)
                        : target == ':' ? AsciiTokens.colon(b, from, to) : target == ',' ? AsciiTokens.comma(b, from, to)
                        : AsciiTokens.indexOfByte(b, from, to, target);
                assertThat(found).as("%s [%d, %d)", java.util.Arrays.toString(b), from, to).isEqualTo(expected);
            }
        }
    }

    @Test
    void blankFindsTheFirstSpaceOrTabOrTheEnd() {
        java.util.Random r = new java.util.Random(7);
        byte[] near = {' ', '\t', (byte) 0xA0, (byte) 0x89, ' ' + 1, ' ' - 1, '\t' + 1, '\t' - 1, 'a'};
        for (int n = 0; n < 4000; n++) {
            byte[] b = new byte[1 + r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(4) == 0 ? near[r.nextInt(near.length)] : (byte) ('a' + r.nextInt(26));
            }
            int from = r.nextInt(b.length + 1);
            int to = from + r.nextInt(b.length - from + 1);
            int expected = to;
            for (int i = from; i < to; i++) {
                if (b[i] == ' ' || b[i] == '\t') {
                    expected = i;
                    break;
                }
            }
            assertThat(AsciiTokens.blank(b, from, to)).as("%s [%d, %d)", java.util.Arrays.toString(b), from, to)
                    .isEqualTo(expected);
        }
    }

    @Test
    void findAgreesWithAPlainSearchForEveryLengthPositionAndNearMiss() {
        java.util.Random r = new java.util.Random(11);
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int len = 1; len < 32; len++) { // every length, with prefixes and shared first bytes
            words.add("abcdefghijklmnopqrstuvwxyz01234".substring(0, len));
            words.add("A".repeat(len));
        }
        words.add("abc"); // a repeat keeps the first string
        AsciiTokens table = new AsciiTokens(words.toArray(String[]::new));
        byte[] alphabet = bytes("abcA\0\u00ff-");
        int hits = 0;
        for (int n = 0; n < 200_000; n++) {
            String w = words.get(r.nextInt(words.size()));
            StringBuilder sb = new StringBuilder(w);
            int k = r.nextInt(4);
            if (k == 1 && sb.length() > 0) { // a near miss: one byte changed
                sb.setCharAt(r.nextInt(sb.length()), (char) (alphabet[r.nextInt(alphabet.length)] & 0xff));
            } else if (k == 2) { // a longer or shorter range
                sb.append((char) (alphabet[r.nextInt(alphabet.length)] & 0xff));
            } else if (k == 3 && sb.length() > 1) {
                sb.setLength(sb.length() - 1);
            }
            int before = r.nextInt(3);
            int after = r.nextInt(20) == 0 ? 0 : r.nextInt(17); // often at the very end of the array
            byte[] b = bytes("x".repeat(before) + sb + "\0".repeat(after));
            String expected = null;
            for (String t : words) {
                if (t.equals(sb.toString())) {
                    expected = t;
                    break;
                }
            }
            String found = table.find(b, before, before + sb.length());
            if (expected == null) {
                assertThat(found).as("%s", sb).isNull();
            } else {
                assertThat(found).as("%s", sb).isSameAs(expected);
                hits++;
            }
        }
        assertThat(hits).isGreaterThan(50_000);
    }

    @Test
    void aTokenWithANulByteIsNotTheShorterTokenBeforeIt() {
        AsciiTokens table = new AsciiTokens("ab", "abcdefghi");
        assertThat(table.find(bytes("ab\0"), 0, 3)).isNull();
        assertThat(table.find(bytes("ab\0xxxxxxxxxxxxxxx"), 0, 3)).isNull();
        assertThat(table.find(bytes("abcdefghi\0"), 0, 10)).isNull();
        assertThat(table.find(bytes("\0"), 0, 1)).isNull();
        assertThat(table.find(bytes("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), 0, 8)).isNull();
    }
}
