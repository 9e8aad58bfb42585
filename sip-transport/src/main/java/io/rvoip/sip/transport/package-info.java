/**
 * SIP transport (RFC 3261 §18 and §26, RFC 3581, RFC 5626 §4.4.1 keep-alives): listening
 * points, sending with Via handling and response routing, connection management, and the
 * {@link io.rvoip.sip.transport.TransportEvent}s published to the layers above.
 */
package io.rvoip.sip.transport;
