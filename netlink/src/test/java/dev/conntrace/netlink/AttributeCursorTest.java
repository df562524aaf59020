package dev.conntrace.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.netlink.DecodeException.Kind;
import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeCursorTest {
    private static final int HEADER = Netlink.NLMSG_HDRLEN + 4;

    private static MessageBuilder builder() {
        MessageBuilder b = MessageBuilder.allocate(4096);
        b.begin(0x100, Netlink.NLM_F_REQUEST).putU8(2).putU8(0).putBe16(0);
        return b;
    }

    private static AttributeCursor attributes(MessageBuilder b) {
        int length = b.finish();
        return new AttributeCursor().reset(b.buffer(), HEADER, length - HEADER);
    }

    @Test
    void writerRoundTripsEveryValueKind() throws DecodeException {
        MessageBuilder b = builder();
        b.addU8(1, 0xAB).addU16(2, 0xBEEF).addU32(3, 0xDEADBEEF).addU64(4, 0x0102030405060708L)
                .addBe16(5, 443).addBe32(6, 0xC0A80001).addBe64(7, 1234567890123L)
                .addString(8, "ctnetlink").addBytes(9, new byte[] {9, 8, 7}).addFlag(10)
                .addAddress(11, IpAddress.parse("192.0.2.7")).addAddress(12, IpAddress.parse("2001:db8::1"));
        AttributeCursor c = attributes(b);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(1);
        assertThat(c.u8()).isEqualTo(0xAB);
        assertThat(c.length()).isEqualTo(1);
        assertThat(c.next()).isTrue();
        assertThat(c.u16()).isEqualTo(0xBEEF);
        assertThat(c.next()).isTrue();
        assertThat(c.u32()).isEqualTo(0xDEADBEEF);
        assertThat(c.next()).isTrue();
        assertThat(c.u64()).isEqualTo(0x0102030405060708L);
        assertThat(c.next()).isTrue();
        assertThat(c.be16()).isEqualTo(443);
        assertThat(c.u16()).as("same bytes read in host order").isEqualTo(Short.reverseBytes((short) 443) & 0xFFFF);
        assertThat(c.next()).isTrue();
        assertThat(c.be32()).isEqualTo(0xC0A80001);
        assertThat(c.next()).isTrue();
        assertThat(c.be64()).isEqualTo(1234567890123L);
        assertThat(c.next()).isTrue();
        assertThat(c.string()).isEqualTo("ctnetlink");
        assertThat(c.length()).isEqualTo(10);
        assertThat(c.next()).isTrue();
        assertThat(c.bytes()).containsExactly(9, 8, 7);
        byte[] target = new byte[5];
        assertThat(c.copyTo(target, 2)).isEqualTo(3);
        assertThat(target).containsExactly(0, 0, 9, 8, 7);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(10);
        assertThat(c.length()).isZero();
        assertThat(c.next()).isTrue();
        assertThat(c.address()).isEqualTo(IpAddress.parse("192.0.2.7"));
        assertThat(c.next()).isTrue();
        assertThat(c.address()).isEqualTo(IpAddress.parse("2001:db8::1"));
        assertThat(c.next()).isFalse();
        assertThat(c.next()).isFalse();
    }

    @Test
    void attributesAreAlignedToFourBytes() throws DecodeException {
        MessageBuilder b = builder();
        b.addU8(1, 1).addString(2, "ab").addU16(3, 5);
        int length = b.finish();
        assertThat(length).isEqualTo(HEADER + 8 + 8 + 8);
        AttributeCursor c = attributes(b);
        List<Long> offsets = new ArrayList<>();
        while (c.next()) {
            offsets.add(c.offset());
            assertThat(c.offset() % 4).isZero();
        }
        assertThat(offsets).containsExactly(20L, 28L, 36L);
        assertThat(b.buffer().get(Layouts.U16, 20)).as("nla_len excludes padding").isEqualTo((short) 5);
    }

    @Test
    void nestsRoundTripThreeLevelsDeepWithFlags() throws DecodeException {
        MessageBuilder b = builder();
        int orig = b.beginNested(1);
        int ip = b.beginNested(1);
        b.addAddress(1, IpAddress.parse("10.0.0.1")).addAddress(2, IpAddress.parse("10.0.0.2"));
        b.endNested(ip);
        int proto = b.beginNested(2);
        b.addU8(1, 6).addBe16(2, 1234).addBe16(3, 80);
        b.endNested(proto);
        b.endNested(orig);
        b.addBe32(3, 0x8);
        AttributeCursor c = attributes(b);
        assertThat(c.next()).isTrue();
        assertThat(c.isNested()).isTrue();
        assertThat(c.rawType()).isEqualTo(1 | Netlink.NLA_F_NESTED);
        assertThat(c.type()).isEqualTo(1);
        AttributeCursor tuple = c.nested();
        assertThat(tuple.depth()).isEqualTo(1);
        assertThat(tuple.next()).isTrue();
        AttributeCursor addresses = tuple.nested();
        assertThat(addresses.next()).isTrue();
        assertThat(addresses.address()).isEqualTo(IpAddress.parse("10.0.0.1"));
        assertThat(addresses.next()).isTrue();
        assertThat(addresses.address()).isEqualTo(IpAddress.parse("10.0.0.2"));
        assertThat(addresses.next()).isFalse();
        assertThat(tuple.next()).isTrue();
        AttributeCursor ports = tuple.nested();
        assertThat(ports).as("the child cursor is reused, not allocated").isSameAs(addresses);
        assertThat(ports.next()).isTrue();
        assertThat(ports.u8()).isEqualTo(6);
        assertThat(ports.next()).isTrue();
        assertThat(ports.be16()).isEqualTo(1234);
        assertThat(ports.next()).isTrue();
        assertThat(ports.be16()).isEqualTo(80);
        assertThat(ports.next()).isFalse();
        assertThat(tuple.next()).isFalse();
        assertThat(c.next()).isTrue();
        assertThat(c.be32()).isEqualTo(8);
        assertThat(c.isNested()).isFalse();
        assertThat(c.next()).isFalse();
    }

    @Test
    void networkByteOrderFlagIsReported() throws DecodeException {
        MessageBuilder b = builder();
        b.addBe32(7 | Netlink.NLA_F_NET_BYTEORDER, 99);
        AttributeCursor c = attributes(b);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(7);
        assertThat(c.isNetByteOrder()).isTrue();
        assertThat(c.isNested()).isFalse();
        assertThat(c.be32()).isEqualTo(99);
    }

    private static MemorySegment bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return MemorySegment.ofArray(b);
    }

    private static DecodeException walkFailure(AttributeCursor c) {
        try {
            Walk.attributes(c, new ArrayList<>());
        } catch (DecodeException e) {
            return e;
        }
        throw new AssertionError("expected a decode failure");
    }

    @Test
    void lengthBelowHeaderIsCorrupt() {
        DecodeException e = walkFailure(new AttributeCursor().reset(bytes(3, 0, 1, 0, 0, 0, 0, 0)));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.offset()).isZero();
        assertThat(e.what()).contains("length 3");
    }

    @Test
    void topLevelOverrunIsTruncatedButInsideANestItIsCorrupt() {
        DecodeException top = walkFailure(new AttributeCursor().reset(bytes(12, 0, 1, 0, 0, 0, 0, 0)));
        assertThat(top.kind()).isEqualTo(Kind.TRUNCATED);
        // A complete nest of 12 bytes whose child claims 12 bytes (only 8 in the nest).
        DecodeException inner = walkFailure(new AttributeCursor().reset(
                bytes(12, 0, 1, 0x80, 12, 0, 2, 0, 0, 0, 0, 0)));
        assertThat(inner.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(inner.offset()).isEqualTo(4);
        DecodeException partialHeader = walkFailure(new AttributeCursor().reset(bytes(4, 0, 1, 0, 8, 0)));
        assertThat(partialHeader.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(partialHeader.offset()).isEqualTo(4);
    }

    @Test
    void overrunInACompleteMessageIsCorrupt() throws DecodeException {
        MessageBuilder b = builder();
        b.addU32(1, 5);
        int length = b.finish();
        b.buffer().set(Layouts.U16, HEADER, (short) 12); // the attribute now claims 4 bytes past the message
        MessageCursor messages = new MessageCursor().reset(b.buffer(), 0, length);
        assertThat(messages.next()).isTrue();
        AttributeCursor c = messages.message().attributes(new AttributeCursor(), 4);
        assertThatThrownBy(c::next).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT));
        assertThatThrownBy(() -> messages.message().attributes(new AttributeCursor(), 100))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT));
    }

    @Test
    void valueOfTheWrongSizeIsCorrupt() throws DecodeException {
        MessageBuilder b = builder();
        b.addU16(1, 7).addBytes(2, new byte[5]);
        AttributeCursor c = attributes(b);
        assertThat(c.next()).isTrue();
        assertThatThrownBy(c::u32).isInstanceOfSatisfying(DecodeException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
            assertThat(e.what()).isEqualTo("attribute type 1 has 2 bytes, needs 4");
        });
        assertThatThrownBy(c::be64).isInstanceOf(DecodeException.class);
        assertThat(c.u16()).isEqualTo(7);
        assertThat(c.next()).isTrue();
        assertThatThrownBy(c::address).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT));
    }

    @Test
    void nestingDepthIsBounded() throws DecodeException {
        MessageBuilder b = builder();
        int[] tokens = new int[AttributeCursor.MAX_DEPTH + 2];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = b.beginNested(1);
        }
        b.addU8(2, 1);
        for (int i = tokens.length - 1; i >= 0; i--) {
            b.endNested(tokens[i]);
        }
        DecodeException e = walkFailure(attributes(b));
        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
        assertThat(e.what()).contains("nested deeper than " + AttributeCursor.MAX_DEPTH);
    }

    @Test
    void accessorsWithoutACurrentAttributeAreAProgrammingError() throws DecodeException {
        AttributeCursor c = new AttributeCursor().reset(MemorySegment.ofArray(new byte[0]));
        assertThatThrownBy(c::type).isInstanceOf(IllegalStateException.class);
        assertThat(c.next()).isFalse();
        assertThatThrownBy(c::u8).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.reset(MemorySegment.ofArray(new byte[4]), 2, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void builderIsBoundedAndValidatesTypes() {
        MessageBuilder b = MessageBuilder.allocate(32);
        assertThatThrownBy(() -> b.addU8(1, 1)).isInstanceOf(IllegalStateException.class);
        b.begin(0x10, 0);
        b.addU64(1, 1);
        assertThatThrownBy(() -> b.addU64(2, 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("capacity of 32");
        assertThatThrownBy(() -> b.addU8(0x10000, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageBuilder.allocate(1 << 17).begin(0x10, 0).addBytes(1, new byte[70000]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderReuseStartsClean() throws DecodeException {
        MessageBuilder b = MessageBuilder.allocate(256);
        b.begin(0x10, 0).addString(1, "a long string value here");
        b.begin(0x11, 0).putZeros(4).addU8(2, 1);
        int length = b.finish();
        assertThat(length).isEqualTo(16 + 4 + 8);
        assertThat(b.type()).isEqualTo(0x11);
        assertThat(b.toByteArray()[26]).isZero(); // padding, not a leftover of the old string
        AttributeCursor c = new AttributeCursor().reset(b.buffer(), 20, length - 20);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(2);
        assertThat(c.next()).isFalse();
    }
}
