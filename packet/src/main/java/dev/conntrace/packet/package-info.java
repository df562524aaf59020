/** conntrace packet. */
package dev.conntrace.packet;
