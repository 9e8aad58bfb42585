package io.rvoip.sip.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Looking header names up from message bytes, in every case, against near misses. */
class HeaderNameTest {
    private static List<HeaderName> known() throws IllegalAccessException {
        List<HeaderName> all = new ArrayList<>();
        for (Field f : HeaderName.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HeaderName.class) {
                all.add((HeaderName) f.get(null));
            }
        }
        return all;
    }

    /** Ends of a line after the name: a short one (near the array's end) and one of 16 bytes or more. */
    private static final String[] TAILS = {": v\r\n", ": sixteen or more bytes\r\n"};

    /**
     * The name as bytes inside a line, so the lookup reads from the middle of an array; the
     * same for both kinds of line end (names are compared two words at a time where the array
     * has the room, else in smaller steps).
     */
    private static HeaderName lookUp(String name) {
        HeaderName found = null;
        for (String tail : TAILS) {
            byte[] line = ("xx" + name + tail).getBytes(StandardCharsets.ISO_8859_1);
            HeaderName h = HeaderName.of(line, 2, 2 + name.length());
            if (found != null) {
                assertThat(h.isKnown()).as(name).isEqualTo(found.isKnown());
                if (h.isKnown()) {
                    assertThat(h).as(name).isSameAs(found);
                }
            }
            found = h;
        }
        return found;
    }

    private static String alternateCase(String s, boolean upperFirst) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append((i % 2 == 0) == upperFirst ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return sb.toString();
    }

    @Test
    void everyKnownNameIsFoundInAnyCase() throws Exception {
        List<HeaderName> all = known();
        assertThat(all).hasSizeGreaterThan(60);
        for (HeaderName h : all) {
            for (String spelling : List.of(h.name(), h.name().toLowerCase(Locale.ROOT), h.name().toUpperCase(Locale.ROOT),
                    alternateCase(h.name(), true), alternateCase(h.name(), false))) {
                assertThat(lookUp(spelling)).as(spelling).isSameAs(h);
            }
        }
    }

    @Test
    void aNameOneByteAwayFromAKnownOneIsNotIt() throws Exception {
        // every position of every known name, changed to a token character that is not the same
        // letter: '^' and '~' differ by the case bit, as '_' and DEL, '@' and '`'
        for (HeaderName h : known()) {
            String n = h.name();
            for (int i = 0; i < n.length(); i++) {
                for (char c : new char[] {'^', '~', '_', '`', '.', '!', '%', '*', '+', '\'', '0', '9'}) {
                    if (Character.toLowerCase(n.charAt(i)) == c) {
                        continue;
                    }
                    String near = n.substring(0, i) + c + n.substring(i + 1);
                    HeaderName found = lookUp(near);
                    assertThat(found.isKnown()).as(near).isFalse();
                    assertThat(found.name()).isEqualTo(near);
                }
            }
            assertThat(lookUp(n + "x").isKnown()).isFalse();
            if (n.length() > 1) {
                assertThat(lookUp(n.substring(1)).isKnown() && lookUp(n.substring(1)) == h).isFalse();
            }
        }
    }

    @Test
    void knownOfFindsANameOnlyFromItsOwnLettersInEitherCaseWhateverTheOtherBytes() throws Exception {
        // the parser looks a range up before it has checked the bytes: every byte value at every
        // position of every known name, and only the name's own letter in either case (or its own
        // '-') may find it. CR is the byte that folding with the case bit would turn into '-'
        for (HeaderName h : known()) {
            for (String tail : TAILS) {
                String n = h.name();
                byte[] line = ("xx" + n + tail).getBytes(StandardCharsets.ISO_8859_1);
                assertThat(HeaderName.knownOf(line, 2, 2 + n.length())).as(n).isSameAs(h);
                for (int i = 0; i < n.length(); i++) {
                    byte own = line[2 + i];
                    for (int v = 0; v < 256; v++) {
                        byte c = (byte) v;
                        boolean same = c == own || Character.isLetter(n.charAt(i))
                                && Character.toLowerCase((char) v) == Character.toLowerCase(n.charAt(i)) && v < 128;
                        line[2 + i] = c;
                        HeaderName found = HeaderName.knownOf(line, 2, 2 + n.length());
                        if (same) {
                            assertThat(found).as("%s with byte %d at %d", n, v, i).isSameAs(h);
                        } else {
                            assertThat(found).as("%s with byte %d at %d", n, v, i).isNotSameAs(h);
                        }
                    }
                    line[2 + i] = own;
                }
            }
        }
        byte[] compact = {'i', 'I', (byte) ('i' | 0x80), (byte) ('I' | 0x80), 0, '\r'};
        assertThat(HeaderName.knownOf(compact, 0, 1)).isSameAs(HeaderName.CALL_ID);
        assertThat(HeaderName.knownOf(compact, 1, 2)).isSameAs(HeaderName.CALL_ID);
        for (int i = 2; i < compact.length; i++) {
            assertThat(HeaderName.knownOf(compact, i, i + 1)).as("byte %d", compact[i] & 0xff).isNull();
        }
        assertThat(HeaderName.knownOf(compact, 0, 0)).isNull();
        byte[] callId = "Call\rID".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(HeaderName.knownOf(callId, 0, callId.length)).isNull();
        assertThat(HeaderName.of(callId, 0, callId.length).isKnown()).isFalse();
    }
}
