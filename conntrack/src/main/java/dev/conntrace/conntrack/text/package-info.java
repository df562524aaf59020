/**
 * Text formats of conntrack flows: the line format of {@code conntrack -L} and {@code conntrack -E}
 * (libnetfilter_conntrack {@code src/conntrack/snprintf_default.c}), of expectations
 * ({@code conntrack -L expect}, {@code -E expect}), and label names from {@code connlabel.conf}.
 *
 * <p>Pure functions over the model; thread-safe; a line is bounded by the flow's fields.
 */
package dev.conntrace.conntrack.text;
