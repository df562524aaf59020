package dev.conntrace.packet.dns;

import dev.conntrace.sys.IpAddress;
import java.util.HexFormat;
import java.util.List;

/** Parsed RDATA of a resource record. Byte arrays are copies owned by the record. */
public sealed interface DnsData {

    /** A or AAAA. */
    record Address(IpAddress address) implements DnsData {
        @Override
        public String toString() {
            return address.toString();
        }
    }

    /** CNAME, NS, PTR, DNAME: a single name. */
    record Name(String name) implements DnsData {
        @Override
        public String toString() {
            return name;
        }
    }

    /** MX. */
    record Mx(int preference, String exchange) implements DnsData {
        @Override
        public String toString() {
            return preference + " " + exchange;
        }
    }

    /** TXT: character strings in presentation form (non-printable bytes as \DDD). */
    record Txt(List<String> strings) implements DnsData {
        public Txt {
            strings = List.copyOf(strings);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (String s : strings) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append('"').append(s).append('"');
            }
            return sb.toString();
        }
    }

    /** SOA. */
    record Soa(String mname, String rname, long serial, long refresh, long retry, long expire, long minimum)
            implements DnsData {
        @Override
        public String toString() {
            return mname + " " + rname + " " + serial + " " + refresh + " " + retry + " " + expire + " " + minimum;
        }
    }

    /** SRV. */
    record Srv(int priority, int weight, int port, String target) implements DnsData {
        @Override
        public String toString() {
            return priority + " " + weight + " " + port + " " + target;
        }
    }

    /** SVCB and HTTPS (RFC 9460): priority and target parsed, SvcParams kept raw. */
    record Svcb(int priority, String target, byte[] params) implements DnsData {
        @Override
        public String toString() {
            return priority + " " + target + (params.length == 0 ? "" : " \\# " + params.length + " " + HexFormat.of().formatHex(params));
        }
    }

    /** OPT pseudo-record (RFC 6891): UDP size, extended rcode bits, version, flags (DO = 0x8000), raw options. */
    record Opt(int udpPayloadSize, int extendedRcode, int version, int flags, byte[] options) implements DnsData {
        /** True if the DNSSEC OK bit is set. */
        public boolean dnssecOk() {
            return (flags & 0x8000) != 0;
        }

        @Override
        public String toString() {
            return "udp=" + udpPayloadSize + " version=" + version + " flags=0x" + Integer.toHexString(flags)
                    + " options=" + options.length + "B";
        }
    }

    /** Any other type, or a type whose RDATA is not interpreted: RFC 3597 generic form. */
    record Raw(byte[] bytes) implements DnsData {
        @Override
        public String toString() {
            return "\\# " + bytes.length + (bytes.length == 0 ? "" : " " + HexFormat.of().formatHex(bytes));
        }
    }
}
