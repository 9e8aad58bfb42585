/** Audio for rvoip: codecs, concealment and processing, bound to RTP streams by the media session. */
package io.rvoip.media;
