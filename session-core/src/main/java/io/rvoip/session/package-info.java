/** Calls with media: SDP offer/answer between dialog-core and media-core. */
package io.rvoip.session;
