/**
 * The Netty pipeline pieces behind {@link io.rvoip.sip.transport.SipTransport}: datagram and
 * stream-connection handlers, the inbound processor (parse + RFC 3581), and the connection
 * registry. Public so custom pipelines can reuse them; most applications never touch them.
 */
package io.rvoip.sip.transport.netty;
