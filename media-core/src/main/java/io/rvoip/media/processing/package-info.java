/**
 * Voice processing on 10 ms frames: echo cancellation ({@link io.rvoip.media.processing.EchoCanceller}),
 * noise suppression ({@link io.rvoip.media.processing.NoiseSuppressor}), voice activity detection
 * ({@link io.rvoip.media.processing.VoiceActivityDetector}), automatic gain control
 * ({@link io.rvoip.media.processing.AutomaticGainControl}), and the chain of the four
 * ({@link io.rvoip.media.processing.VoiceProcessor}) that a media session runs on its captured audio.
 */
package io.rvoip.media.processing;
