package io.rvoip.sip.dialog.auth;

import java.util.Objects;

/** A username and password for Digest authentication. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {
    /** Checks both are present. */
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials{" + username + ", password=****}";
    }
}
