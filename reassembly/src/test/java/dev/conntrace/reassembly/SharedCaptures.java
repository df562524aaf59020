package dev.conntrace.reassembly;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared public captures beside the repository, and our reassembly of them. */
final class SharedCaptures {
    private SharedCaptures() {}

    /** The shared captures directory, or null when it cannot be found above the working directory. */
    static Path dirOrNull() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("pcaps");
            if (Files.isRegularFile(candidate.resolve("oracle.tsv"))) {
                return candidate;
            }
        }
        return null;
    }

    /** The directory; skips the test outside CI (fails in CI) when it is missing. */
    static Path dir() {
        Path d = dirOrNull();
        Prerequisites.require(d != null, "shared captures (../shared/pcaps with oracle.tsv) not found");
        return d;
    }

    static List<Path> captures() {
        Path d = dirOrNull();
        if (d == null) {
            return List.of();
        }
        try (var s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reassembles a capture with the default settings; every direction's summary, in completion order. */
    static List<DirectionSummary> reassemble(Path capture) throws IOException {
        return reassemble(capture, AssemblerConfig.defaults(), CaptureReassembler.Options.defaults());
    }

    static List<DirectionSummary> reassemble(Path capture, AssemblerConfig config, CaptureReassembler.Options options)
            throws IOException {
        return reassemble(capture, config, options, 0);
    }

    static List<DirectionSummary> reassemble(Path capture, AssemblerConfig config, CaptureReassembler.Options options,
            int hashThreads) throws IOException {
        List<DirectionSummary> out = new ArrayList<>();
        SummarizingStreamFactory summaries = new SummarizingStreamFactory(out::add, null, hashThreads);
        Assembler a = new Assembler(new StreamPool(summaries, config));
        ChecksumAutoDetector d = null;
        if (options.checksums() == CaptureReassembler.ChecksumMode.AUTO) {
            try (PacketSource s = CaptureFile.open(capture)) {
                d = CaptureReassembler.sampleChecksums(s, 1000);
            }
        }
        try (PacketSource s = CaptureFile.open(capture)) {
            CaptureReassembler.run(s, a, options, d, null);
        }
        summaries.close();
        return out;
    }
}
