package io.rvoip.sip.header;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable, ordered list of {@code name[=value]} parameters, as in URIs and header values.
 * Names compare case-insensitively. Values are kept exactly as written (a quoted value keeps
 * its quotes), so serialization round-trips; {@link #get(String)} returns the unquoted value.
 */
public final class Parameters {
    /** No parameters. */
    public static final Parameters EMPTY = new Parameters(new String[0]);

    private final String[] kv;

    private Parameters(String[] kv) {
        this.kv = kv;
    }

    /**
     * Parameters from alternating names and raw values ({@code null} value: a flag such as
     * {@code lr}).
     */
    public static Parameters of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Objects.requireNonNull(namesAndValues[i], "name");
        }
        return namesAndValues.length == 0 ? EMPTY : new Parameters(namesAndValues.clone());
    }

    /** Used by the parser, which hands over a fresh array. */
    static Parameters wrap(String[] kv) {
        return kv.length == 0 ? EMPTY : new Parameters(kv);
    }

    /**
     * A builder-style list for the parser. {@link #build()} copies what was collected, so one
     * collector can be {@linkplain #clear() cleared} and reused for the next list.
     */
    public static final class Collector {
        private String[] kv = new String[8];
        private int n;

        /** Forgets what was collected, keeping the space. */
        public void clear() {
            java.util.Arrays.fill(kv, 0, n, null);
            n = 0;
        }

        /** Adds one parameter; {@code value} null for a flag. */
        public void add(String name, String value) {
            if (n + 2 > kv.length) {
                kv = Arrays.copyOf(kv, kv.length * 2);
            }
            kv[n++] = name;
            kv[n++] = value;
        }

        /** The parameters collected. */
        public Parameters build() {
            return n == 0 ? EMPTY : new Parameters(Arrays.copyOf(kv, n));
        }
    }

    /** The number of parameters. */
    public int size() {
        return kv.length / 2;
    }

    /** True if there are none. */
    public boolean isEmpty() {
        return kv.length == 0;
    }

    /** The name of parameter {@code i}. */
    public String name(int i) {
        return kv[2 * i];
    }

    /** The value of parameter {@code i} as written, or {@code null} for a flag. */
    public String rawValue(int i) {
        return kv[2 * i + 1];
    }

    private int indexOf(String name) {
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** True if the parameter is present (with or without a value). */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * The value with surrounding quotes and quoted-pairs removed; {@code ""} for a flag;
     * {@code null} if absent.
     */
    public String get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        String v = kv[i + 1];
        return v == null ? "" : unquote(v);
    }

    /** The value exactly as written, {@code null} for a flag or if absent. */
    public String getRaw(String name) {
        int i = indexOf(name);
        return i < 0 ? null : kv[i + 1];
    }

    /** A copy with {@code name} set to the raw {@code value} (replacing, or appended). */
    public Parameters with(String name, String value) {
        Objects.requireNonNull(name, "name");
        int i = indexOf(name);
        String[] copy;
        if (i >= 0) {
            copy = kv.clone();
            copy[i + 1] = value;
        } else {
            copy = Arrays.copyOf(kv, kv.length + 2);
            copy[kv.length] = name;
            copy[kv.length + 1] = value;
        }
        return new Parameters(copy);
    }

    /** A copy with {@code name} set to {@code value} as a quoted string. */
    public Parameters withQuoted(String name, String value) {
        return with(name, quote(value));
    }

    /** A copy without {@code name}. */
    public Parameters without(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return this;
        }
        String[] copy = new String[kv.length - 2];
        System.arraycopy(kv, 0, copy, 0, i);
        System.arraycopy(kv, i + 2, copy, i, kv.length - i - 2);
        return wrap(copy);
    }

    /** The names, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int i = 0; i < kv.length; i += 2) {
            names.add(kv[i]);
        }
        return names;
    }

    /** Appends {@code ;name=value} for each parameter. */
    public void appendTo(StringBuilder sb, char separator) {
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(separator).append(kv[i]);
            if (kv[i + 1] != null) {
                sb.append('=').append(kv[i + 1]);
            }
        }
    }

    /**
     * Wraps {@code s} in double quotes (RFC 3261 §25.1 quoted-string): {@code "}, {@code \} and
     * the control characters other than tab, which {@code qdtext} does not allow, are written as
     * quoted-pairs, so a parser reads {@code s} back.
     *
     * @throws IllegalArgumentException if {@code s} holds CR or LF, which no quoted-string can
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("line break in a quoted string");
            }
            if (c == '"' || c == '\\' || (c < ' ' && c != '\t') || c == 0x7f) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Removes surrounding double quotes and quoted-pairs, if present. */
    public static String unquote(String v) {
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return v;
        }
        if (v.indexOf('\\') < 0) {
            return v.substring(1, v.length() - 1);
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters p) || p.kv.length != kv.length) {
            return false;
        }
        for (int i = 0; i < kv.length; i += 2) {
            if (!kv[i].equalsIgnoreCase(p.kv[i]) || !Objects.equals(kv[i + 1], p.kv[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < kv.length; i += 2) {
            h = 31 * h + kv[i].toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + Objects.hashCode(kv[i + 1]);
        }
        return h;
    }

    /** {@code ;name=value;flag...} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, ';');
        return sb.toString();
    }
}
