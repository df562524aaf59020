package dev.conntrace.packet;

/** How far {@link PacketDecoder} got with a packet. */
public enum DecodeStatus {
    /** Decoded to IP and, for TCP/UDP/ICMP, the transport header; payload may still be cut (see payloadMissing). */
    OK,
    /** The link type is not one the decoder knows; {@link DecodedPacket#unknownCode()} holds it. */
    UNKNOWN_LINK_TYPE,
    /** The link layer carries something other than IP (ARP, LLC...); {@link DecodedPacket#unknownCode()} holds its protocol number. */
    NOT_IP,
    /** The capture cut a header short; {@link DecodedPacket#problemLayer()} says which. */
    TRUNCATED,
    /** A header can never be valid (bad version, length below minimum); {@link DecodedPacket#problemLayer()} says which. */
    MALFORMED
}
