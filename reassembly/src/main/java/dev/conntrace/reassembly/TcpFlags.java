package dev.conntrace.reassembly;

/** TCP header flag bits as in the header's flags byte (RFC 9293 section 3.1). */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private TcpFlags() {}
}
