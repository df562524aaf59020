package dev.conntrace.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code madvise(2)} hints for mapped files ({@code /usr/include/asm-generic/mman-common.h}). Advice is a
 * hint: a refused call changes nothing, so these methods report success instead of throwing.
 *
 * <p>Thread-safe (an immutable method handle); allocates nothing.
 */
public final class Memory {
    private Memory() {}

    public static final int MADV_SEQUENTIAL = 2; // MADV_SEQUENTIAL
    public static final int MADV_WILLNEED = 3; // MADV_WILLNEED
    public static final int MADV_DONTNEED = 4; // MADV_DONTNEED
    /** Maps the range's pages (Linux 5.14 and later; refused before). */
    public static final int MADV_POPULATE_READ = 22; // MADV_POPULATE_READ

    /** Pages are aligned to this; ranges are shrunk to whole pages inside them. */
    static final long PAGE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("madvise").orElseThrow(() -> new UnsatisfiedLinkError("libc has no madvise")),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /**
     * The same native memory as {@code mapping}, bounded by the same arena, as a plain native segment. Readers
     * that also see other native segments (buffers, rings) then meet one segment class instead of two, so the
     * JIT compiles their copy and access paths once instead of deoptimising when the second class turns up.
     */
    public static MemorySegment plainView(MemorySegment mapping, Arena arena) {
        if (!mapping.isNative()) {
            throw new IllegalArgumentException("not a native segment");
        }
        return MemorySegment.ofAddress(mapping.address()).reinterpret(mapping.byteSize(), arena, null);
    }

    /**
     * Advises the kernel about {@code [offset, offset + length)} of a native (mapped) segment, shrunk to the
     * whole pages inside it. For a file mapping, {@link #MADV_DONTNEED} drops the pages from this process
     * (its resident set) while the file keeps them cached; a later read maps them again.
     *
     * @return true if the kernel accepted the advice (or the range holds no whole page)
     */
    public static boolean advise(MemorySegment mapping, long offset, long length, int advice) {
        if (!mapping.isNative() || offset < 0 || length < 0 || offset + length > mapping.byteSize()) {
            throw new IllegalArgumentException("advice range [" + offset + ", +" + length + ") outside a native segment of "
                    + mapping.byteSize() + " bytes");
        }
        long start = mapping.address() + offset;
        long from = (start + PAGE - 1) & -PAGE;
        long to = (start + length) & -PAGE;
        if (to <= from) {
            return true;
        }
        try {
            return (int) MADVISE.invokeExact(MemorySegment.ofAddress(from), to - from, advice) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed unexpectedly", t);
        }
    }
}
