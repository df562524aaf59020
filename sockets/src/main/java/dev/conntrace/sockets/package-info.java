/** conntrace sockets. */
package dev.conntrace.sockets;
