package io.rvoip.sip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/} (beside the checkout) for tests that read RFC texts and vectors. */
public final class SharedData {
    private SharedData() {
    }

    /** The shared folder: {@code -Drvoip.shared=...}, else the first {@code shared} found walking up. */
    public static Path root() {
        String prop = System.getProperty("rvoip.shared");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("testdata"))) {
                return candidate;
            }
            candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("testdata"))) {
                return candidate;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/ test data not found; set -Drvoip.shared");
    }

    /** Bytes of a file under shared/. */
    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text of a file under shared/. */
    public static String text(String relative) {
        return new String(bytes(relative), java.nio.charset.StandardCharsets.UTF_8);
    }
}
