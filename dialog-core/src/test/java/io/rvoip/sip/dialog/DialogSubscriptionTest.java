package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * SUBSCRIBE/NOTIFY (RFC 6665) between two stacks on one manual clock: A subscribes, B serves
 * {@code message-summary} (RFC 3842) and {@code dialog} (RFC 4235).
 */
class DialogSubscriptionTest {
    private final ManualPair p = new ManualPair();
    private final MessageSummaryPackage mwi = new MessageSummaryPackage();
    private final DialogInfoPackage blf = new DialogInfoPackage();
    private final List<DialogEvent.NotifyReceived> notifies = new CopyOnWriteArrayList<>();
    private final List<DialogEvent.SubscriptionReceived> subscribes = new CopyOnWriteArrayList<>();
    private final Uri alice = Uri.parse("sip:alice@127.0.0.1:5070");

    private void start(UnaryOperator<DialogConfig.Builder> bConfig) {
        p.start(c -> c, c -> bConfig.apply(c.eventPackages(mwi, blf)));
        p.a.bus.subscribe(DialogEvent.NotifyReceived.class).onShard().handle(notifies::add);
        p.b.bus.subscribe(DialogEvent.SubscriptionReceived.class).onShard().handle(subscribes::add);
    }

    private SipRequest subscribe(String event, Long expires) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.SUBSCRIBE, alice)
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:watcher@127.0.0.1")).withTag(SipIds.newTag()))
                .to(Address.of(alice)).callId(SipIds.newCallId()).cseq(1)
                .set("Event", event);
        if (expires != null) {
            b.set(SipHeaders.EXPIRES, expires);
        }
        return b.build();
    }

    private static String state(DialogEvent.NotifyReceived n) {
        return n.request().header("Subscription-State");
    }

    @Test
    void subscribeNotifyChangeRefreshAndUnsubscribe() {
        start(c -> c);
        mwi.set(alice, 0, 3);
        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("message-summary", 600L));
        p.run();
        assertThat(sub.response().join().statusCode()).isEqualTo(200);
        assertThat(sub.response().join().get(SipHeaders.EXPIRES)).isEqualTo(600L);
        Dialog watcher = sub.established().join();
        assertThat(watcher.subscriptionState()).isEqualTo("active");
        assertThat(subscribes).hasSize(1);
        Dialog notifier = subscribes.get(0).dialog();
        assertThat(notifier.isNotifier()).isTrue();
        assertThat(notifies).hasSize(1);
        assertThat(state(notifies.get(0))).isEqualTo("active;expires=600");
        assertThat(notifies.get(0).request().contentType()).isEqualTo(MessageSummaryPackage.TYPE);
        assertThat(notifies.get(0).request().bodyText()).contains("Messages-Waiting: no\r\n").contains("Voice-Message: 0/3\r\n");
        assertThat(p.a.dialogs.subscriptionCount()).isEqualTo(1);
        assertThat(p.b.dialogs.subscriptionCount()).isEqualTo(1);

        // a new message: B notifies its subscribers of that mailbox only
        mwi.set(alice, 1, 3);
        p.b.dialogs.notifyChanged("message-summary", Uri.parse("sip:bob@127.0.0.1"));
        p.run();
        assertThat(notifies).hasSize(1);
        p.b.dialogs.notifyChanged("message-summary", alice);
        p.run();
        assertThat(notifies).hasSize(2);
        assertThat(notifies.get(1).request().bodyText()).contains("Messages-Waiting: yes\r\n").contains("Voice-Message: 1/3\r\n");
        assertThat(notifies.get(1).dialog()).isSameAs(watcher);

        // A refreshes at half the duration; B grants it again and sends a NOTIFY
        p.advanceSeconds(299);
        assertThat(subscribes).hasSize(1);
        p.advanceSeconds(1.5);
        assertThat(subscribes).hasSize(2);
        assertThat(subscribes.get(1).expires()).isEqualTo(600);
        assertThat(notifies).hasSize(3);
        assertThat(state(notifies.get(2))).isEqualTo("active;expires=600");

        // unsubscribe: 200, then the final NOTIFY with the state, and both dialogs end
        var unsubscribed = p.a.dialogs.unsubscribe(watcher);
        p.run();
        SipResponse ok = unsubscribed.join();
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.get(SipHeaders.EXPIRES)).isZero();
        assertThat(notifies).hasSize(4);
        assertThat(state(notifies.get(3))).isEqualTo("terminated;reason=timeout");
        assertThat(notifies.get(3).request().bodyText()).contains("Voice-Message: 1/3");
        assertThat(watcher.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(watcher.terminationReason()).isEqualTo("subscription terminated: timeout");
        assertThat(notifier.state()).isEqualTo(DialogState.TERMINATED);
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        p.assertNothingLeft();
    }

    @Test
    void withoutRefreshesTheNotifierEndsTheSubscriptionAtItsExpiry() {
        start(c -> c);
        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("message-summary", 120L));
        p.run();
        Dialog watcher = sub.established().join();
        Dialog notifier = subscribes.get(0).dialog();
        p.a.drop = m -> m instanceof SipRequest r && r.method().equals(SipMethod.SUBSCRIBE); // refreshes are lost
        p.advanceSeconds(60.5);
        assertThat(subscribes).hasSize(1);
        // the refresh got no answer: Timer N (64·T1) ends A's side…
        p.advanceSeconds(32);
        assertThat(watcher.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(watcher.terminationReason()).contains("Timer N");
        assertThat(notifier.state()).isEqualTo(DialogState.CONFIRMED);
        // …and at 120 s B sends terminated;reason=timeout and ends its side
        p.advanceSeconds(120 - 60.5 - 32 - 0.5);
        assertThat(notifier.state()).isEqualTo(DialogState.CONFIRMED);
        p.advanceSeconds(1);
        assertThat(notifier.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(notifier.terminationReason()).isEqualTo("subscription terminated: timeout");
        assertNothingLeft();
    }

    @Test
    void aNotifyBeforeThe200CreatesTheSubscription() {
        start(c -> c);
        boolean[] dropped = {false};
        p.b.drop = m -> {
            if (m instanceof SipResponse r && r.cseq().method().equals(SipMethod.SUBSCRIBE) && !dropped[0]) {
                dropped[0] = true; // the first 200 is lost: the NOTIFY gets there first
                return true;
            }
            return false;
        };
        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("message-summary", 600L));
        p.run();
        assertThat(sub.response()).isNotDone();
        assertThat(sub.established()).isCompleted();
        assertThat(notifies).hasSize(1);
        p.advanceSeconds(0.6); // A retransmits the SUBSCRIBE at T1; B's transaction repeats its 200
        assertThat(sub.response().join().statusCode()).isEqualTo(200);
        assertThat(sub.dialogs()).hasSize(1);
        assertThat(subscribes).hasSize(1);
    }

    /** A NOTIFY as another notifier reached by a forked SUBSCRIBE would send it. */
    private SipRequest forkNotify(OutgoingSubscription sub, String tag, long cseq) {
        SipRequest s = sub.request();
        return SipRequest.builder(SipMethod.NOTIFY, Uri.parse("sip:ua@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(alice).withTag(tag)).to(s.from()).callId(s.callId()).cseq(cseq)
                .contact(Address.of(Uri.parse("sip:fork-" + tag + "@127.0.0.1:5070")))
                .set("Event", "message-summary").set("Subscription-State", "active;expires=300").build();
    }

    @Test
    void forkedNotifiesCreateOneDialogEachUntilTimerN() {
        start(c -> c);
        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("message-summary", 600L));
        p.run();
        Destination toA = Destination.of(TransportType.UDP, p.a.self);
        var second = p.b.transactions.sendRequest(forkNotify(sub, "fork2", 7), toA);
        p.run();
        assertThat(second.join().finalResponse().join().statusCode()).isEqualTo(200);
        assertThat(sub.dialogs()).hasSize(2);
        assertThat(sub.dialogs().get(1).remoteTarget().toString()).isEqualTo("sip:fork-fork2@127.0.0.1:5070");
        assertThat(p.a.dialogs.subscriptionCount()).isEqualTo(2);
        // after Timer N a NOTIFY that would create a dialog gets 481
        p.advanceSeconds(33);
        var late = p.b.transactions.sendRequest(forkNotify(sub, "fork3", 1), toA);
        p.run();
        assertThat(late.join().finalResponse().join().statusCode()).isEqualTo(481);
        assertThat(sub.dialogs()).hasSize(2);
        // the second fork's subscription is refreshed on its own dialog, to its own target
        List<SipRequest> refreshes = new ArrayList<>();
        p.a.drop = m -> {
            if (m instanceof SipRequest r && r.method().equals(SipMethod.SUBSCRIBE)) {
                refreshes.add(r);
                return r.requestUri().toString().contains("fork2"); // nobody answers there
            }
            return false;
        };
        p.advanceSeconds(150 - 33);
        assertThat(refreshes).anySatisfy(r -> assertThat(r.requestUri().toString()).isEqualTo("sip:fork-fork2@127.0.0.1:5070"));
    }

    @Test
    void refusalsFollowRfc6665() {
        start(c -> c);
        OutgoingSubscription presence = p.a.dialogs.subscribe(subscribe("presence", 600L));
        p.run();
        SipResponse bad = presence.response().join();
        assertThat(bad.statusCode()).isEqualTo(489);
        assertThat(bad.getAll(SipHeaders.ALLOW_EVENTS)).containsExactlyInAnyOrder("message-summary", "dialog");
        OutgoingSubscription brief = p.a.dialogs.subscribe(subscribe("message-summary", 30L));
        p.run();
        assertThat(brief.response().join().statusCode()).isEqualTo(423);
        assertThat(brief.response().join().get(SipHeaders.MIN_EXPIRES)).isEqualTo(60L);
        assertThat(brief.established()).isCompletedExceptionally();
        OutgoingSubscription wrongType = p.a.dialogs.subscribe(subscribe("message-summary", 600L).toBuilder()
                .set("Accept", "text/plain").build());
        p.run();
        assertThat(wrongType.response().join().statusCode()).isEqualTo(406);
        assertThat(p.b.dialogs.dialogCount()).isZero();
        assertThat(notifies).isEmpty();
    }

    @Test
    void pendingSubscriptionsGetStateOnlyOnceActivatedAndCanBeRejectedLater() {
        EventPackage guarded = new EventPackage() {
            @Override
            public String name() {
                return "message-summary";
            }

            @Override
            public io.rvoip.sip.header.MediaType contentType() {
                return MessageSummaryPackage.TYPE;
            }

            @Override
            public Authorization authorize(SipRequest s) {
                String user = ((io.rvoip.sip.uri.SipUri) s.from().uri()).user();
                return user.equals("mallory") ? Authorization.REJECT : Authorization.PENDING;
            }

            @Override
            public Notification state(Uri resource, long version) {
                return mwi.state(resource, version);
            }
        };
        p.start(c -> c, c -> c.eventPackages(guarded));
        p.a.bus.subscribe(DialogEvent.NotifyReceived.class).onShard().handle(notifies::add);
        p.b.bus.subscribe(DialogEvent.SubscriptionReceived.class).onShard().handle(subscribes::add);

        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("message-summary", 600L));
        p.run();
        assertThat(state(notifies.get(0))).isEqualTo("pending;expires=600");
        assertThat(notifies.get(0).request().bodyLength()).isZero();
        Dialog notifier = subscribes.get(0).dialog();
        p.advanceSeconds(10);
        p.b.dialogs.notifyChanged("message-summary", null);
        p.run();
        assertThat(notifies).as("no state while pending").hasSize(1);
        p.b.dialogs.activate(notifier);
        p.run();
        assertThat(state(notifies.get(1))).isEqualTo("active;expires=590");
        assertThat(notifies.get(1).request().bodyText()).contains("Messages-Waiting: no");
        p.b.dialogs.terminateSubscription(notifier, "deactivated");
        p.run();
        assertThat(state(notifies.get(2))).isEqualTo("terminated;reason=deactivated");
        assertThat(sub.established().join().state()).isEqualTo(DialogState.TERMINATED);
        assertThat(notifier.state()).isEqualTo(DialogState.TERMINATED);

        SipRequest fromMallory = subscribe("message-summary", 600L).toBuilder()
                .from(Address.of(Uri.parse("sip:mallory@127.0.0.1")).withTag("m")).build();
        OutgoingSubscription refused = p.a.dialogs.subscribe(fromMallory);
        p.run();
        assertThat(refused.response().join().statusCode()).isEqualTo(403);
        assertNothingLeft();
    }

    @Test
    void aFetchWithExpiresZeroGetsOneFinalNotifyWithTheState() {
        start(c -> c);
        mwi.set(alice, 4, 0);
        OutgoingSubscription fetch = p.a.dialogs.subscribe(subscribe("message-summary", 0L));
        p.run();
        assertThat(fetch.response().join().get(SipHeaders.EXPIRES)).isZero();
        assertThat(notifies).hasSize(1);
        assertThat(state(notifies.get(0))).isEqualTo("terminated;reason=timeout");
        assertThat(notifies.get(0).dialog()).as("a terminated NOTIFY creates no dialog").isNull();
        assertThat(notifies.get(0).request().bodyText()).contains("Voice-Message: 4/0");
        assertThat(fetch.established()).isCompletedExceptionally();
        assertNothingLeft();
    }

    @Test
    void theDialogPackageSendsVersionedFullStateDialogInfo() throws Exception {
        start(c -> c);
        blf.put(alice, new DialogInfoPackage.DialogInfo("d1", "call-1", "lt", "rt", false,
                DialogInfoPackage.State.EARLY, Uri.parse("sip:carol@example.com")));
        OutgoingSubscription sub = p.a.dialogs.subscribe(subscribe("dialog", 600L));
        p.run();
        assertThat(sub.established()).isCompleted();
        Document first = xml(notifies.get(0).request());
        Element root = first.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("urn:ietf:params:xml:ns:dialog-info");
        assertThat(root.getAttribute("version")).isEqualTo("0");
        assertThat(root.getAttribute("state")).isEqualTo("full");
        assertThat(root.getAttribute("entity")).isEqualTo("sip:alice@127.0.0.1:5070");
        Element dialog = (Element) root.getElementsByTagNameNS("*", "dialog").item(0);
        assertThat(dialog.getAttribute("id")).isEqualTo("d1");
        assertThat(dialog.getAttribute("direction")).isEqualTo("recipient");
        assertThat(dialog.getElementsByTagNameNS("*", "state").item(0).getTextContent()).isEqualTo("early");
        // answered, and a second call with a name that needs escaping
        blf.put(alice, new DialogInfoPackage.DialogInfo("d1", "call-1", "lt", "rt", false,
                DialogInfoPackage.State.CONFIRMED, Uri.parse("sip:carol@example.com")));
        blf.put(alice, new DialogInfoPackage.DialogInfo("d2&<\"", "call-2", "a", null, true,
                DialogInfoPackage.State.TRYING, null));
        p.b.dialogs.notifyChanged("dialog", alice);
        p.run();
        Element second = xml(notifies.get(1).request()).getDocumentElement();
        assertThat(second.getAttribute("version")).isEqualTo("1");
        assertThat(second.getElementsByTagNameNS("*", "dialog").getLength()).isEqualTo(2);
        Element d2 = (Element) second.getElementsByTagNameNS("*", "dialog").item(1);
        assertThat(d2.getAttribute("id")).isEqualTo("d2&<\"");
        assertThat(d2.getAttribute("direction")).isEqualTo("initiator");
        assertThat(((Element) second.getElementsByTagNameNS("*", "dialog").item(0))
                .getElementsByTagNameNS("*", "state").item(0).getTextContent()).isEqualTo("confirmed");
    }

    private static Document xml(SipMessage m) throws Exception {
        assertThat(m.contentType()).isEqualTo(DialogInfoPackage.TYPE);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(m.body()));
    }
}
