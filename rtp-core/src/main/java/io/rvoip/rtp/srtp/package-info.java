/**
 * SRTP and SRTCP (RFC 3711, RFC 6188, RFC 7714) and SDES keying (RFC 4568).
 *
 * <p>{@link io.rvoip.rtp.srtp.SrtpContext} protects and unprotects packets in place; an
 * {@link io.rvoip.rtp.srtp.SrtpPolicy} says how, whatever established the keys.
 */
package io.rvoip.rtp.srtp;
