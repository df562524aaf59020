/** conntrack over ctnetlink. */
package dev.conntrace.conntrack;
