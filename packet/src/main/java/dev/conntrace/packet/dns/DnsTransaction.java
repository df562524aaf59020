package dev.conntrace.packet.dns;

import dev.conntrace.sys.IpAddress;

/**
 * One DNS exchange seen on the wire: a query and its response, a query never answered, or a response
 * whose query was not seen.
 *
 * @param transport UDP or TCP
 * @param client the address that sent the query (for an unsolicited response: its destination)
 * @param clientPort the client's port
 * @param server the address that answered (or was asked)
 * @param serverPort the server's port
 * @param id the DNS transaction id
 * @param query the query, or null when only the response was seen
 * @param response the response, or null when none came
 * @param queryNanos the query's capture time (ns since the epoch), or -1 when not seen
 * @param responseNanos the response's capture time, or -1 when none came
 * @param outcome what happened
 */
public record DnsTransaction(Transport transport, IpAddress client, int clientPort, IpAddress server, int serverPort,
        int id, DnsMessage query, DnsMessage response, long queryNanos, long responseNanos, Outcome outcome) {

    /** How DNS was carried. */
    public enum Transport {
        UDP,
        TCP;

        /** "udp" or "tcp". */
        public String label() {
            return this == UDP ? "udp" : "tcp";
        }
    }

    /** How a transaction ended. */
    public enum Outcome {
        /** A response matched the query. */
        ANSWERED,
        /** No response within the timeout, or by the end of the capture. */
        TIMEOUT,
        /** A response whose query was not seen. */
        UNSOLICITED;

        /** "answered", "timeout" or "unsolicited". */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The first question (of the query, else of the response), or null when there is none. */
    public DnsQuestion question() {
        if (query != null && !query.questions().isEmpty()) {
            return query.questions().getFirst();
        }
        if (response != null && !response.questions().isEmpty()) {
            return response.questions().getFirst();
        }
        return null;
    }

    /** Response time minus query time in nanoseconds, or -1 unless {@link Outcome#ANSWERED}. */
    public long latencyNanos() {
        return outcome == Outcome.ANSWERED ? responseNanos - queryNanos : -1;
    }

    /** The response's rcode (with EDNS extended bits), or -1 without a response. */
    public int rcode() {
        return response == null ? -1 : response.rcode();
    }
}
