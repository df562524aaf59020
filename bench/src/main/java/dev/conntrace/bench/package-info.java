/**
 * JMH benchmarks of conntrace's hot paths and small programs for whole-process comparisons; run with
 * {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar}. Single-threaded
 * state per benchmark; each benchmark states the memory it holds.
 */
package dev.conntrace.bench;
