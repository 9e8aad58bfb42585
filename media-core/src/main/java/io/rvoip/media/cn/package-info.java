/** Comfort noise (RFC 3389): the CN payload, noise analysis, noise synthesis, and a voice activity detector for DTX. */
package io.rvoip.media.cn;
