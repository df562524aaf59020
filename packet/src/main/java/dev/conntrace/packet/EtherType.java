package dev.conntrace.packet;

/** Ethernet protocol numbers (IEEE registry, {@code <linux/if_ether.h>}) that the decoder understands. */
public final class EtherType {
    private EtherType() {}

    public static final int IPV4 = 0x0800; // ETH_P_IP
    public static final int ARP = 0x0806; // ETH_P_ARP
    public static final int VLAN = 0x8100; // ETH_P_8021Q
    public static final int IPV6 = 0x86DD; // ETH_P_IPV6
    public static final int MPLS_UNICAST = 0x8847; // ETH_P_MPLS_UC
    public static final int MPLS_MULTICAST = 0x8848; // ETH_P_MPLS_MC
    public static final int PPPOE_SESSION = 0x8864; // ETH_P_PPP_SES
    public static final int QINQ = 0x88A8; // ETH_P_8021AD
    public static final int QINQ_OLD = 0x9100; // ETH_P_QINQ1: pre-standard 802.1ad
}
