package io.rvoip.sip.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates shared/testdata beside the checkout. */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** shared/testdata/rfc4475. */
    public static Path rfc4475() {
        String prop = System.getProperty("rvoip.shared");
        if (prop != null) {
            return Path.of(prop, "testdata", "rfc4475");
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            for (Path c : new Path[] {p.resolve("shared"), p.resolveSibling("shared")}) {
                if (Files.isDirectory(c.resolve("testdata/rfc4475"))) {
                    return c.resolve("testdata/rfc4475");
                }
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/testdata not found");
    }
}
