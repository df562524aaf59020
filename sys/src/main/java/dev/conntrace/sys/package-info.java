/** Typed libc calls over the Foreign Function &amp; Memory API. */
package dev.conntrace.sys;
