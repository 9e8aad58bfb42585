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
 * @param queuedBytes bytes waiting now to be written on stream connections (with Netty's
 *     bookkeeping of each write)
 * @param readPauses times a stream connection stopped being read because too much waited to be
 *     written to its peer
 * @param stalledConnections stream connections closed because more than
 *     {@code maxQueuedBytesPerConnection} would have waited to be written to their peer
 */
public record TransportMetrics(long received, long bytesReceived, long rejected, long oversize, long keepAlives, long sent,
        long sendFailures, long connectionsRefused, int openConnections, long queuedBytes, long readPauses,
        long stalledConnections) {
}
