package dev.conntrace.packet.dns;

/**
 * One entry of the question section.
 *
 * @param name the name in presentation form ("example.com", "." for the root)
 * @param type a {@link DnsType} value
 * @param dnsClass the class (1 = IN); the top bit is the mDNS unicast-response flag if present
 */
public record DnsQuestion(String name, int type, int dnsClass) {
    @Override
    public String toString() {
        return name + " " + DnsType.name(type);
    }
}
