/** Digest authentication (RFC 3261 §22, RFC 7616): server-side checks and client credentials. */
package io.rvoip.sip.dialog.auth;
