/**
 * Digest authentication (RFC 7616, RFC 2617, RFC 3261 §22): HA1/HA2/response math for MD5,
 * SHA-256 and SHA-512/256 with {@code -sess}, qop auth and auth-int, userhash, constant-time
 * verification, and answering a challenge.
 */
package io.rvoip.sip.auth;
