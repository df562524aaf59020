/**
 * picocli, compiled from its published sources for this project's Java release. Its own jar holds Java 5
 * class files, which the JDK's ahead-of-time cache cannot keep: every start of the command then loaded and
 * verified them anew. Same module descriptor as picocli's own jar.
 */
module info.picocli {
    requires static java.sql;
    exports picocli;
}
