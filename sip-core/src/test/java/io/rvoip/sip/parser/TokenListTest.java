package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass token-list path gives exactly what the general lexer gives, whenever it answers. */
class TokenListTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void commonListsTakeTheFastPathWithSharedTokens() {
        byte[] b = bytes("xINVITE, ACK,BYE ,  OPTIONS , x-custom.1!y");
        List<String> l = HeaderValueParser.simpleTokens(b, 1, b.length - 1);
        assertThat(l).containsExactly("INVITE", "ACK", "BYE", "OPTIONS", "x-custom.1!");
        assertThat(l.get(0)).isSameAs(HeaderValueParser.simpleTokens(bytes("INVITE"), 0, 6).get(0));
        assertThatThrownBy(() -> l.add("X")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.get(5)).isInstanceOf(IndexOutOfBoundsException.class);
        // event packages are shared too (Allow-Events: talk, hold, refer), in their exact case only
        List<String> events = HeaderValueParser.simpleTokens(bytes("talk, hold, refer, Talk"), 0, 23);
        List<String> again = HeaderValueParser.simpleTokens(bytes("refer,hold,talk,Talk"), 0, 20);
        assertThat(events).containsExactly("talk", "hold", "refer", "Talk");
        assertThat(events.get(0)).isSameAs(again.get(2));
        assertThat(events.get(1)).isSameAs(again.get(1));
        assertThat(events.get(2)).isSameAs(again.get(0));
        assertThat(events.get(3)).isEqualTo(again.get(3)).isNotSameAs(again.get(3));
        String many = "A, ".repeat(40) + "B"; // past the first guess of the list's size
        assertThat(HeaderValueParser.simpleTokens(bytes(many), 0, many.length())).hasSize(41).endsWith("B");
    }

    @Test
    void everythingElseIsLeftToTheLexer() {
        for (String v : new String[] {"", " ", "A,", ",A", "A,,B", "A B", "A\tB", "A,\r\n B", "A;B", "A, \"B\"", "A,\u00e9"}) {
            byte[] b = bytes(v);
            assertThat(HeaderValueParser.simpleTokens(b, 0, b.length)).as(v).isNull();
        }
    }

    @Test
    void agreesWithTheLexerOnRandomLists() {
        Random r = new Random(3);
        String[] pieces = {"INVITE", "ACK", "a", "timer", "x-y", "100rel", "talk", ",", ",", ", ", " , ", " ", "  ", "\t",
            "\r\n ", ";", "\"", "\u00e9", "/"};
        int fast = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            byte[] b = bytes("[" + sb + "]");
            List<String> simple = HeaderValueParser.simpleTokens(b, 1, b.length - 1);
            Object lexed;
            try {
                lexed = HeaderValueParser.lexedTokens(b, 1, b.length - 1, 1);
            } catch (SipParseException e) {
                lexed = e;
            }
            if (simple != null) {
                fast++;
                assertThat(lexed).as("[%s]", sb).isEqualTo(simple);
            }
        }
        assertThat(fast).as("lists the fast path took").isGreaterThan(5_000);
    }
}
