/**
 * RTP packets (RFC 3550, RFC 8285 header extensions) and first-byte demultiplexing
 * (RFC 5761, RFC 7983). Subpackages: {@code rtcp} packets, {@code stats} receiver/sender
 * state, {@code jitter} the playout buffer, {@code srtp} SRTP/SRTCP and SDES, {@code net}
 * Netty sockets and the RTP session.
 */
package io.rvoip.rtp;
