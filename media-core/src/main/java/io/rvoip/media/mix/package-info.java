/** Conference mixing: N participants, each hearing the mix of the others. */
package io.rvoip.media.mix;
