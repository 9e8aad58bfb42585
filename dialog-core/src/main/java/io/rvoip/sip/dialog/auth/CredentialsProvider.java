package io.rvoip.sip.dialog.auth;

import java.util.Map;

/** Where a UAC finds credentials for a challenge's realm (RFC 3261 §22.2). */
@FunctionalInterface
public interface CredentialsProvider {
    /** Credentials for {@code realm}, or null when there are none (the challenge is not answered). */
    Credentials forRealm(String realm);

    /** No credentials: challenges are passed up unanswered. */
    static CredentialsProvider none() {
        return realm -> null;
    }

    /** The same credentials for every realm. */
    static CredentialsProvider of(String username, String password) {
        Credentials c = new Credentials(username, password);
        return realm -> c;
    }

    /** Credentials per realm. */
    static CredentialsProvider byRealm(Map<String, Credentials> byRealm) {
        Map<String, Credentials> copy = Map.copyOf(byRealm);
        return copy::get;
    }
}
