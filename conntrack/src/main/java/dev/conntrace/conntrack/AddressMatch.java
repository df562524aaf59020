package dev.conntrace.conntrack;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * An address or a network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) to match a tuple address
 * against, as {@code conntrack -s ADDR[/PREFIX]} takes it.
 *
 * @param address the address; only its first {@code prefix} bits matter
 * @param prefix prefix length: 0..32 for IPv4, 0..128 for IPv6
 */
public record AddressMatch(IpAddress address, int prefix) {

    public AddressMatch {
        Objects.requireNonNull(address, "address");
        int max = address.v6() ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0.." + max);
        }
    }

    /** Exactly {@code address}. */
    public static AddressMatch of(IpAddress address) {
        return new AddressMatch(address, address.v6() ? 128 : 32);
    }

    /** Parses {@code ADDR} or {@code ADDR/PREFIX}; throws {@link IllegalArgumentException} naming the text. */
    public static AddressMatch parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return of(IpAddress.parse(text));
        }
        IpAddress a = IpAddress.parse(text.substring(0, slash));
        try {
            return new AddressMatch(a, Integer.parseInt(text.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid network: '" + text + "'");
        }
    }

    /** True when {@code a} has this family and the same first {@code prefix} bits. */
    public boolean test(IpAddress a) {
        if (a == null || a.v6() != address.v6()) {
            return false;
        }
        if (!a.v6()) {
            return prefix == 0 || ((a.v4() ^ address.v4()) >>> (32 - prefix)) == 0;
        }
        if (prefix <= 64) {
            return prefix == 0 || ((a.high() ^ address.high()) >>> (64 - prefix)) == 0;
        }
        // A shift by 64 - (prefix - 64) keeps the low word's first prefix - 64 bits (all 64 at /128).
        return a.high() == address.high() && ((a.low() ^ address.low()) >>> (128 - prefix)) == 0;
    }

    /** True when only one address matches. */
    public boolean isHost() {
        return prefix == (address.v6() ? 128 : 32);
    }

    @Override
    public String toString() {
        return isHost() ? address.toString() : address + "/" + prefix;
    }
}
