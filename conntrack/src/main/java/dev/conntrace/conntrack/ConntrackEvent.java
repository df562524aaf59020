package dev.conntrace.conntrack;

/**
 * What an event listener delivers: a flow change, an expectation change, or a report that events
 * were lost ({@link Overrun}), in the order they were read from the socket.
 */
public sealed interface ConntrackEvent permits FlowEvent, ExpectEvent, Overrun {
}
