package io.rvoip.media.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.junit.jupiter.api.Test;

/**
 * Live devices: where the machine has none (CI), opening must fail with the typed error and a
 * clear message; where it has one, the device opens, runs a few frames without blocking, and
 * closes.
 */
class SoundDeviceTest {

    private static boolean supported(Class<?> line, int rate) {
        return AudioSystem.isLineSupported(new DataLine.Info(line, new AudioFormat(rate, 16, 1, true, false)));
    }

    @Test
    void microphoneOpensOrFailsClearly() throws Exception {
        if (supported(TargetDataLine.class, 8000)) {
            try (SoundDevice.Microphone mic = SoundDevice.microphone(8000)) {
                short[] frame = new short[160];
                for (int i = 0; i < 5; i++) {
                    mic.read(frame, 0, 160);
                }
                assertThat(mic.sampleRate()).isEqualTo(8000);
            } catch (SoundDevice.Unavailable busy) {
                assertThat(busy).hasMessageContaining("capture device");
            }
        } else {
            assertThatThrownBy(() -> SoundDevice.microphone(8000)).isInstanceOf(SoundDevice.Unavailable.class)
                    .hasMessageContaining("no audio capture device");
        }
    }

    @Test
    void speakerOpensOrFailsClearly() throws Exception {
        if (supported(SourceDataLine.class, 16000)) {
            try (SoundDevice.Speaker speaker = SoundDevice.speaker(16000)) {
                short[] frame = new short[320];
                for (int i = 0; i < 5; i++) {
                    speaker.write(frame, 0, 320);
                }
                assertThat(speaker.sampleRate()).isEqualTo(16000);
            } catch (SoundDevice.Unavailable busy) {
                assertThat(busy).hasMessageContaining("playback device");
            }
        } else {
            assertThatThrownBy(() -> SoundDevice.speaker(16000)).isInstanceOf(SoundDevice.Unavailable.class)
                    .hasMessageContaining("no audio playback device");
        }
    }
}
