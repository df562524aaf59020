package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * A change in the expectation table ({@code NFNLGRP_CONNTRACK_EXP_*}).
 *
 * @param type {@link EventType#NEW} ({@code IPCTNL_MSG_EXP_NEW} with {@code NLM_F_CREATE}),
 *     {@link EventType#UPDATE} ({@code IPCTNL_MSG_EXP_NEW} without it) or {@link EventType#DESTROY}
 *     ({@code IPCTNL_MSG_EXP_DELETE})
 * @param expect the expectation
 * @param portId the netlink port id of the process whose request caused the event, 0 for the kernel
 */
public record ExpectEvent(EventType type, Expect expect, int portId) implements ConntrackEvent {
    public ExpectEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(expect, "expect");
    }
}
