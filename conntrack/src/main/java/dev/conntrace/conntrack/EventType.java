package dev.conntrace.conntrack;

/** The kind of a conntrack event ({@code IPCTNL_MSG_CT_NEW} with or without {@code NLM_F_CREATE}, {@code IPCTNL_MSG_CT_DELETE}). */
public enum EventType {
    /** A new entry ({@code NFNLGRP_CONNTRACK_NEW}). */
    NEW,
    /** A changed entry ({@code NFNLGRP_CONNTRACK_UPDATE}). */
    UPDATE,
    /** A removed entry ({@code NFNLGRP_CONNTRACK_DESTROY}). */
    DESTROY
}
