package dev.conntrace.reassembly;

/**
 * Decides whether a capture's checksums are worth checking, like Suricata's {@code checksum-validation:
 * auto}: captures taken on a host with checksum offload carry wrong TCP checksums on every packet the
 * host sent. The first {@code sample} verifiable segments are checked; if more than {@code maxBadPercent}
 * percent of them are bad, checking is switched off for the rest of the capture.
 *
 * <p>Not thread-safe; use one per capture. Callers that can read the capture twice should sample it
 * before reassembling (so early segments are judged by the final decision).
 */
public final class ChecksumAutoDetector {
    private final int sample;
    private final int maxBadPercent;
    private int seen;
    private int bad;
    private Boolean decision;

    public ChecksumAutoDetector(int sample, int maxBadPercent) {
        if (sample < 1 || maxBadPercent < 0 || maxBadPercent > 100) {
            throw new IllegalArgumentException("sample " + sample + ", maxBadPercent " + maxBadPercent);
        }
        this.sample = sample;
        this.maxBadPercent = maxBadPercent;
    }

    /** 1000 segments, 10 percent (Suricata's figures). */
    public ChecksumAutoDetector() {
        this(1000, 10);
    }

    /** Records one verified segment's result. */
    public void record(boolean good) {
        if (decision != null) {
            return;
        }
        seen++;
        if (!good) {
            bad++;
        }
        if (bad * 100L > (long) maxBadPercent * sample) {
            decision = false;
        } else if (seen >= sample) {
            decision = bad * 100L <= (long) maxBadPercent * seen;
        }
    }

    /** True while checksums should be checked: before a decision, or when the decision is to check. */
    public boolean checking() {
        return decision == null || decision;
    }

    /** True once enough segments were seen (or enough were bad) to decide. */
    public boolean decided() {
        return decision != null;
    }

    /** Ends sampling early (e.g. the capture ended): decides on what was seen. */
    public void decideNow() {
        if (decision == null) {
            decision = bad * 100L <= (long) maxBadPercent * Math.max(seen, 1);
        }
    }

    public int seen() {
        return seen;
    }

    public int bad() {
        return bad;
    }
}
