package dev.conntrace.conntrack;

/**
 * TCP sequence adjustment of one direction ({@code CTA_SEQ_ADJ_ORIG} / {@code CTA_SEQ_ADJ_REPLY},
 * sub-attributes {@code CTA_SEQADJ_*}), used by NAT helpers that change payload length.
 * All three are unsigned 32-bit values held in the low bits of a long.
 *
 * @param correctionPosition sequence number from which the offset applies
 * @param offsetBefore offset before that position
 * @param offsetAfter offset after that position
 */
public record SeqAdjust(long correctionPosition, long offsetBefore, long offsetAfter) {}
