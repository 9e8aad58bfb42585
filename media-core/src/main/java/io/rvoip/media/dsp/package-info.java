/** Signal processing: resampling, mixing, gain and levels. */
package io.rvoip.media.dsp;
