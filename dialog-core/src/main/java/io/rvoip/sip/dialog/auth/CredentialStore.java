package io.rvoip.sip.dialog.auth;

import io.rvoip.sip.auth.Digest;
import io.rvoip.sip.auth.DigestAlgorithm;
import java.util.Map;

/**
 * Where a server finds what it needs to check a Digest response: HA1 = H(username ":" realm ":"
 * password) for a user, realm and algorithm — so passwords need not be stored at all.
 */
@FunctionalInterface
public interface CredentialStore {
    /** HA1 in lower-case hex for the (non-session) algorithm's hash, or null for an unknown user. */
    String ha1(String username, String realm, DigestAlgorithm algorithm);

    /** Plaintext passwords by username (convenient for tests and small deployments). */
    static CredentialStore plaintext(Map<String, String> passwords) {
        Map<String, String> copy = Map.copyOf(passwords);
        return (user, realm, alg) -> {
            String p = copy.get(user);
            return p == null ? null : Digest.hash(alg, user + ":" + realm + ":" + p);
        };
    }

    /** Precomputed HA1 values for one algorithm, by username. */
    static CredentialStore ha1(DigestAlgorithm algorithm, Map<String, String> ha1ByUser) {
        Map<String, String> copy = Map.copyOf(ha1ByUser);
        String base = algorithm.token().replace("-sess", "");
        return (user, realm, alg) -> alg.token().replace("-sess", "").equals(base) ? copy.get(user) : null;
    }
}
