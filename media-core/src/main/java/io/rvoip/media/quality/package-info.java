/** Speech quality estimates: the ITU-T G.107 E-model. */
package io.rvoip.media.quality;
