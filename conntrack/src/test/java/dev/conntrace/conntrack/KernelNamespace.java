package dev.conntrace.conntrack;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;

/** A fresh network namespace where conntrack is active, and a client inside it. */
final class KernelNamespace implements AutoCloseable {
    final PrivateNamespace ns;
    final Conntrack ct;

    private KernelNamespace(PrivateNamespace ns, Conntrack ct) {
        this.ns = ns;
        this.ct = ct;
    }

    /** Skips (or fails in CI) without root, nft and conntrack; then creates the namespace. */
    static KernelNamespace create() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("nft");
        Prerequisites.requireTool("conntrack");
        PrivateNamespace ns = PrivateNamespace.create();
        try {
            // Conntrack tracks nothing in a new namespace until a rule uses it; the input rule keeps
            // test datagrams from producing ICMP errors.
            ns.exec("sh", "-c", "nft add table inet t"
                    + " && nft add chain inet t out '{ type filter hook output priority 0; }'"
                    + " && nft add rule inet t out ct state new accept"
                    + " && nft add chain inet t in '{ type filter hook input priority 0; }'"
                    + " && nft add rule inet t in udp dport 9 drop"
                    + " && sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1");
            Conntrack ct = ns.call(Conntrack::open);
            return new KernelNamespace(ns, ct);
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    String conntrack(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "conntrack";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ns.exec(cmd);
    }

    @Override
    public void close() {
        try {
            ct.close();
        } finally {
            ns.close();
        }
    }
}
