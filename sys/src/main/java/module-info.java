/** The only module that calls native code: a typed libc surface over the FFM API. */
module dev.conntrace.sys {
    exports dev.conntrace.sys;
}
