package dev.conntrace.cli;

import dev.conntrace.conntrack.L4Protocol;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * conntrack-tools' GRE key options ({@code --srckey}/{@code --orig-key-src}, {@code --dstkey}/
 * {@code --orig-key-dst}, {@code --reply-key-src}, {@code --reply-key-dst}) on the tuple fields
 * they share with ports: the kernel keeps a GRE key where other protocols keep a port
 * ({@code CTA_PROTO_SRC_PORT}, {@code CTA_PROTO_DST_PORT}).
 */
final class GreKeys {
    private GreKeys() {}

    /**
     * Checks the key options of {@code o} and, with {@code -p gre}, carries them in its port fields:
     * keys need {@code -p gre}, which takes no ports. Done once per options object.
     */
    static void resolve(CommandLine cl, CtOptions o) {
        if (o.keysResolved) {
            return;
        }
        o.keysResolved = true;
        boolean gre = L4Protocol.GRE.equals(o.protocol(cl));
        String[][] pairs = {{"--srckey", o.srcKey, "--sport", o.sport}, {"--dstkey", o.dstKey, "--dport", o.dport},
            {"--reply-key-src", o.replySrcKey, "--reply-port-src", o.replySport},
            {"--reply-key-dst", o.replyDstKey, "--reply-port-dst", o.replyDport}};
        for (String[] pair : pairs) {
            if (!gre && pair[1] != null) {
                throw new ParameterException(cl, pair[0] + " '" + pair[1] + "' needs -p gre");
            }
            if (gre && pair[3] != null) {
                throw new ParameterException(cl, "-p gre has keys, not ports: use " + pair[0] + " instead of " + pair[2]);
            }
        }
        if (gre) {
            o.sport = o.srcKey;
            o.dport = o.dstKey;
            o.replySport = o.replySrcKey;
            o.replyDport = o.replyDstKey;
        }
    }

    /** The option that names a port field: the key's with {@code -p gre}, else the port's. */
    static String option(L4Protocol p, String portName, String keyName) {
        return L4Protocol.GRE.equals(p) ? keyName : portName;
    }

    /** True when {@code p}'s tuples carry two 16-bit identifiers in the port fields: ports, or GRE keys. */
    static boolean inPortFields(L4Protocol p) {
        return p.hasPorts() || p.equals(L4Protocol.GRE);
    }
}
