package dev.conntrace.netlink.netfilter;

import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.NetlinkMessage;

/**
 * The nfnetlink family header, {@code struct nfgenmsg} ({@code linux/netfilter/nfnetlink.h}):
 * {@code nfgen_family} u8, {@code version} u8 ({@link Nfnetlink#NFNETLINK_V0}), {@code res_id}
 * u16 big-endian (the resource id, e.g. a conntrack zone or queue number).
 */
public final class Nfgenmsg {
    private Nfgenmsg() {}

    /** {@code sizeof(struct nfgenmsg)}. */
    public static final int SIZE = 4;

    /** Appends an nfgenmsg header for {@code family} (AF_INET, AF_INET6, AF_UNSPEC) and {@code resId}. */
    public static MessageBuilder put(MessageBuilder builder, int family, int resId) {
        return builder.putU8(family).putU8(Nfnetlink.NFNETLINK_V0).putBe16(resId);
    }

    /** {@code nfgen_family} of a received message. */
    public static int family(NetlinkMessage message) throws DecodeException {
        return message.u8(0);
    }

    /** {@code version} of a received message. */
    public static int version(NetlinkMessage message) throws DecodeException {
        return message.u8(1);
    }

    /** {@code res_id} of a received message, converted from big-endian. */
    public static int resId(NetlinkMessage message) throws DecodeException {
        return message.be16(2);
    }
}
