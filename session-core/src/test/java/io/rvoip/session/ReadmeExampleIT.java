package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The example of session-core's README, compiled and run (real time, real sockets). */
class ReadmeExampleIT {

    @Test
    void theReadmeExampleWorks() {
        WavFile greeting = AudioData.wav("speech8k.wav");
        WavFile speech = AudioData.wav("speech8k.wav");

        // Bob answers every call, plays a greeting and records what he hears
        PcmRecorder heard = new PcmRecorder(8000, 8000 * 60);
        SessionCoordinator bob = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .handler(call -> {
                    call.audio(PcmSource.of(greeting, false), heard);
                    return CallHandler.Decision.accept();
                })
                .build();

        // Alice calls Bob, sends a digit, hangs up
        SessionCoordinator alice = SessionCoordinator.builder().build(); // UDP on 127.0.0.1, any free port
        try (bob; alice) {
            CallSession call = alice.call(Address.of(Uri.parse("sip:alice@example.com")), bob.contact().uri(),
                    PcmSource.of(speech, false), null);
            call.answered().join();            // fails with CallFailedException (rejected, 488, timeout…)
            call.sendDigit('5');               // RFC 4733
            call.hangup();
            EndReason why = call.ended().join();  // LOCAL_BYE

            assertThat(why.cause()).isEqualTo(EndReason.Cause.LOCAL_BYE);
        }
    }
}
