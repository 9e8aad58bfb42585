package io.rvoip.sip.transport;

/**
 * A snapshot of a transport's counters.
 *
 * @param received messages received and published
 * @param bytesReceived bytes read from sockets (datagrams and streams)
 * @param rejected malformed messages dropped (and published as rejected)
 * @param oversize datagrams or stream messages over the size limit
 * @param keepAlives CRLF keep-alive pings and pongs received
 * @param sent messages written
 * @param sendFailures sends that failed
 * @param connectionsRefused inbound connections closed because of the limits
 * @param openConnections stream connections open now
 */
public record TransportMetrics(long received, long bytesReceived, long rejected, long oversize, long keepAlives, long sent,
        long sendFailures, long connectionsRefused, int openConnections) {
}
