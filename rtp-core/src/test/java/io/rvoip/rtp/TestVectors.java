package io.rvoip.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code shared/testdata/vectors/*.txt}: "[section]" headings and "name: value" lines. */
public final class TestVectors {
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    private TestVectors(Path file) {
        Map<String, String> current = null;
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw;
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("[")) {
                    current = new LinkedHashMap<>();
                    sections.put(line.substring(1, line.indexOf(']')), current);
                } else if (current != null && line.contains(":")) {
                    int c = line.lastIndexOf(": ");
                    if (c < 0) {
                        c = line.indexOf(':');
                    }
                    current.put(line.substring(0, c).strip(), line.substring(c + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code vectors/<name>}. */
    public static TestVectors load(String name) {
        return new TestVectors(shared().resolve("testdata/vectors").resolve(name));
    }

    /** A value as text. */
    public String text(String section, String name) {
        Map<String, String> s = sections.get(section);
        if (s == null || !s.containsKey(name)) {
            throw new IllegalArgumentException("no " + name + " in [" + section + "]");
        }
        return s.get(name);
    }

    /** A hex value as bytes. */
    public byte[] hex(String section, String name) {
        return HexFormat.of().parseHex(text(section, name));
    }

    /** All entries of a section. */
    public Map<String, String> section(String section) {
        return sections.get(section);
    }

    /** The {@code shared} folder beside the checkout (or {@code -Drvoip.shared}). */
    public static Path shared() {
        String prop = System.getProperty("rvoip.shared");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            for (Path c : new Path[] {p.resolve("shared"), p.resolveSibling("shared")}) {
                if (Files.isDirectory(c.resolve("testdata/vectors"))) {
                    return c;
                }
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/testdata not found");
    }
}
