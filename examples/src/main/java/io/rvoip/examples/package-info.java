/** The rvoip command line: {@code demo}, {@code uas} and {@code call}, built as {@code examples/target/rvoip.jar}. */
package io.rvoip.examples;
