package dev.conntrace.packet.dns;

/**
 * One resource record of the answer, authority or additional section.
 *
 * @param name the owner name in presentation form
 * @param type a {@link DnsType} value
 * @param dnsClass the class (for OPT: the requestor's UDP payload size)
 * @param ttl the TTL as an unsigned 32-bit value (for OPT: extended rcode, version and flags)
 * @param data the parsed RDATA
 */
public record DnsRecord(String name, int type, int dnsClass, long ttl, DnsData data) {
    @Override
    public String toString() {
        return name + " " + ttl + " " + DnsType.name(type) + " " + data;
    }
}
