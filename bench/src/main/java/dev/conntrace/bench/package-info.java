/** JMH benchmarks; run with {@code java -jar bench/target/benchmarks.jar}. */
package dev.conntrace.bench;
