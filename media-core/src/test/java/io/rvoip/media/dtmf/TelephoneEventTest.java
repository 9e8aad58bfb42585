package io.rvoip.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4733: the sender's packets, and the receiver with and without losses. */
class TelephoneEventTest {
    private static List<TelephoneEventSender.Packet> packets(int code, long units) {
        TelephoneEventSender s = new TelephoneEventSender(160);
        s.start(code, units, 10);
        List<TelephoneEventSender.Packet> out = new ArrayList<>();
        TelephoneEventSender.Packet p;
        while ((p = s.next()) != null) {
            out.add(p);
        }
        return out;
    }

    private static int duration(TelephoneEventSender.Packet p) {
        return ((p.payload()[2] & 0xFF) << 8) | (p.payload()[3] & 0xFF);
    }

    private static boolean end(TelephoneEventSender.Packet p) {
        return (p.payload()[1] & 0x80) != 0;
    }

    @Test
    void aHundredMillisecondDigitIsFiveUpdatesAndThreeEnds() {
        List<TelephoneEventSender.Packet> ps = packets(Dtmf.eventCode('7'), 800);
        assertThat(ps).hasSize(7);
        assertThat(ps.get(0).marker()).isTrue();
        assertThat(ps.subList(1, 7)).noneMatch(TelephoneEventSender.Packet::marker);
        assertThat(ps).allMatch(p -> p.timestamp() == 0 && p.payload()[0] == 7 && (p.payload()[1] & 0x3F) == 10);
        assertThat(ps.stream().map(TelephoneEventTest::duration).toList()).containsExactly(160, 320, 480, 640, 800, 800, 800);
        assertThat(ps.stream().map(TelephoneEventTest::end).toList()).containsExactly(false, false, false, false, true, true, true);
    }

    private static List<TelephoneEventReceiver.Event> receive(List<TelephoneEventSender.Packet> ps, long base,
                                                              java.util.function.IntPredicate lost, boolean tickAfter) {
        List<TelephoneEventReceiver.Event> got = new ArrayList<>();
        TelephoneEventReceiver r = new TelephoneEventReceiver(160, got::add);
        long now = 0;
        for (int i = 0; i < ps.size(); i++) {
            now += 160;
            r.tick(now);
            if (!lost.test(i)) {
                r.onPacket(base + ps.get(i).timestamp(), ps.get(i).payload(), 0, 4, now);
            }
        }
        if (tickAfter) {
            for (int i = 0; i < 10; i++) {
                now += 160;
                r.tick(now);
            }
        }
        return got;
    }

    @Test
    void theReceiverReportsOnceAndSurvivesLostPackets() {
        List<TelephoneEventSender.Packet> ps = packets(Dtmf.eventCode('#'), 800);
        List<TelephoneEventReceiver.Event> all = receive(ps, 1000, i -> false, true);
        assertThat(all).containsExactly(new TelephoneEventReceiver.Event(11, 10, 800, true));
        assertThat(all.get(0).digit()).isEqualTo('#');
        // the first packets and two of the three ends lost: still one event, full length
        assertThat(receive(ps, 1000, i -> i <= 1 || i == 4 || i == 6, true))
                .containsExactly(new TelephoneEventReceiver.Event(11, 10, 800, true));
        // every end lost: the event ends by timeout three intervals later, with the last duration seen
        assertThat(receive(ps, 1000, i -> i >= 4, true)).containsExactly(new TelephoneEventReceiver.Event(11, 10, 640, false));
    }

    @Test
    void theNextEventEndsOneWhoseEndWasLost() {
        List<TelephoneEventReceiver.Event> got = new ArrayList<>();
        TelephoneEventReceiver r = new TelephoneEventReceiver(160, got::add);
        List<TelephoneEventSender.Packet> one = packets(1, 480);
        List<TelephoneEventSender.Packet> two = packets(2, 480);
        long now = 0;
        for (int i = 0; i < 2; i++) { // '1' without its end packets
            r.onPacket(5000 + one.get(i).timestamp(), one.get(i).payload(), 0, 4, now += 160);
        }
        for (TelephoneEventSender.Packet p : two) {
            r.onPacket(5000 + 640 + p.timestamp(), p.payload(), 0, 4, now += 160);
        }
        // a late retransmission of the first digit's end changes nothing
        r.onPacket(5000, one.get(one.size() - 1).payload(), 0, 4, now += 160);
        assertThat(got).containsExactly(new TelephoneEventReceiver.Event(1, 10, 320, false),
                new TelephoneEventReceiver.Event(2, 10, 480, true));
        assertThat(r.onPacket(0, new byte[3], 0, 3, now)).isFalse();
    }

    @Test
    void aLongEventIsSplitIntoSegmentsAndJoinedAgain() {
        long units = 0x1FFFFL + 1000; // about 16.5 s at 8 kHz
        List<TelephoneEventSender.Packet> ps = packets(Dtmf.eventCode('0'), units);
        assertThat(ps.stream().filter(TelephoneEventSender.Packet::marker)).hasSize(1);
        assertThat(ps.stream().map(TelephoneEventSender.Packet::timestamp).distinct().toList())
                .containsExactly(0L, 0xFFFFL, 2L * 0xFFFF);
        assertThat(ps.stream().allMatch(p -> duration(p) <= 0xFFFF)).isTrue();
        assertThat(receive(ps, 77, i -> false, true)).containsExactly(new TelephoneEventReceiver.Event(0, 10, units, true));
    }
}
