/** Audio files and buffers: sources and sinks of PCM. */
package io.rvoip.media.io;
