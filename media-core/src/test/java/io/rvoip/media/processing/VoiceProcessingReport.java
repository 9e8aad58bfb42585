package io.rvoip.media.processing;

/**
 * Prints the voice processing figures of the module README: echo cancellation, noise
 * suppression, voice activity detection and gain control on the scenarios of the tests (speech
 * from shared/testdata/audio, found from the working directory or {@code -Drvoip.shared=…}).
 * Run from the repository root with {@code java -cp benchmarks/target/benchmarks.jar
 * io.rvoip.media.processing.VoiceProcessingReport}; with {@code --vad-scenarios DIR} it writes the
 * voice activity scenarios (input and truth) instead, for {@code benchmarks/scripts/webrtc-vad.sh}.
 */
public final class VoiceProcessingReport {
    private VoiceProcessingReport() {
    }

    /** Prints every figure; or, given {@code --vad-scenarios DIR}, writes the VAD scenarios there. */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 2 && args[0].equals("--vad-scenarios")) {
            Measures.writeVadScenarios(java.nio.file.Path.of(args[1]));
            return;
        }
        Measures.echoReport();
        Measures.noiseReport();
        Measures.print(0.2);
        System.out.println("VAD false frames in 9 s of white noise alone, at -60, -45 and -30 dBFS and 8 and 16 kHz: "
                + Measures.noiseFa(0.2));
        Measures.gainReport();
    }
}
