package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.SipTransport;
import java.util.concurrent.CompletableFuture;

/**
 * What transactions need from the transport: send a request to a destination, send a
 * response back (on the request's connection if it is open). A failed future is a transport
 * error (RFC 3261 §17.1.4, §17.2.4).
 */
public interface MessageSender {

    /** Sends a request (or a retransmission of it); completes with the destination used. */
    CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination);

    /** Sends a response (or a retransmission of it). */
    CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection);

    /** The sender backed by a {@link SipTransport}. */
    static MessageSender of(SipTransport transport) {
        return new MessageSender() {
            @Override
            public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
                return transport.sendRequest(request, destination);
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
                return transport.sendResponse(response, connection);
            }
        };
    }
}
