/** conntrace reassembly. */
package dev.conntrace.reassembly;
