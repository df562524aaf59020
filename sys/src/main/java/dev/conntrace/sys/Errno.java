package dev.conntrace.sys;

/**
 * Linux errno numbers and their names, transliterated from {@code /usr/include/asm-generic/errno-base.h}
 * and {@code /usr/include/asm-generic/errno.h} (the numbering of x86-64, arm64 and every other
 * asm-generic architecture).
 *
 * <p>{@link #name(int)} gives the symbolic name ("ENOBUFS"), {@link #description(int)} the header's
 * comment ("No buffer space available"); unknown numbers come back as "errno(n)", never an exception.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1; // EPERM: Operation not permitted
    public static final int ENOENT = 2; // ENOENT: No such file or directory
    public static final int ESRCH = 3; // ESRCH: No such process
    public static final int EINTR = 4; // EINTR: Interrupted system call
    public static final int EIO = 5; // EIO: I/O error
    public static final int ENXIO = 6; // ENXIO: No such device or address
    public static final int E2BIG = 7; // E2BIG: Argument list too long
    public static final int ENOEXEC = 8; // ENOEXEC: Exec format error
    public static final int EBADF = 9; // EBADF: Bad file number
    public static final int ECHILD = 10; // ECHILD: No child processes
    public static final int EAGAIN = 11; // EAGAIN: Try again
    public static final int ENOMEM = 12; // ENOMEM: Out of memory
    public static final int EACCES = 13; // EACCES: Permission denied
    public static final int EFAULT = 14; // EFAULT: Bad address
    public static final int ENOTBLK = 15; // ENOTBLK: Block device required
    public static final int EBUSY = 16; // EBUSY: Device or resource busy
    public static final int EEXIST = 17; // EEXIST: File exists
    public static final int EXDEV = 18; // EXDEV: Cross-device link
    public static final int ENODEV = 19; // ENODEV: No such device
    public static final int ENOTDIR = 20; // ENOTDIR: Not a directory
    public static final int EISDIR = 21; // EISDIR: Is a directory
    public static final int EINVAL = 22; // EINVAL: Invalid argument
    public static final int ENFILE = 23; // ENFILE: File table overflow
    public static final int EMFILE = 24; // EMFILE: Too many open files
    public static final int ENOTTY = 25; // ENOTTY: Not a typewriter
    public static final int ETXTBSY = 26; // ETXTBSY: Text file busy
    public static final int EFBIG = 27; // EFBIG: File too large
    public static final int ENOSPC = 28; // ENOSPC: No space left on device
    public static final int ESPIPE = 29; // ESPIPE: Illegal seek
    public static final int EROFS = 30; // EROFS: Read-only file system
    public static final int EMLINK = 31; // EMLINK: Too many links
    public static final int EPIPE = 32; // EPIPE: Broken pipe
    public static final int EDOM = 33; // EDOM: Math argument out of domain of func
    public static final int ERANGE = 34; // ERANGE: Math result not representable
    public static final int EDEADLK = 35; // EDEADLK: Resource deadlock would occur
    public static final int ENAMETOOLONG = 36; // ENAMETOOLONG: File name too long
    public static final int ENOLCK = 37; // ENOLCK: No record locks available
    public static final int ENOSYS = 38; // ENOSYS: Invalid system call number
    public static final int ENOTEMPTY = 39; // ENOTEMPTY: Directory not empty
    public static final int ELOOP = 40; // ELOOP: Too many symbolic links encountered
    public static final int ENOMSG = 42; // ENOMSG: No message of desired type
    public static final int EIDRM = 43; // EIDRM: Identifier removed
    public static final int ECHRNG = 44; // ECHRNG: Channel number out of range
    public static final int EL2NSYNC = 45; // EL2NSYNC: Level 2 not synchronized
    public static final int EL3HLT = 46; // EL3HLT: Level 3 halted
    public static final int EL3RST = 47; // EL3RST: Level 3 reset
    public static final int ELNRNG = 48; // ELNRNG: Link number out of range
    public static final int EUNATCH = 49; // EUNATCH: Protocol driver not attached
    public static final int ENOCSI = 50; // ENOCSI: No CSI structure available
    public static final int EL2HLT = 51; // EL2HLT: Level 2 halted
    public static final int EBADE = 52; // EBADE: Invalid exchange
    public static final int EBADR = 53; // EBADR: Invalid request descriptor
    public static final int EXFULL = 54; // EXFULL: Exchange full
    public static final int ENOANO = 55; // ENOANO: No anode
    public static final int EBADRQC = 56; // EBADRQC: Invalid request code
    public static final int EBADSLT = 57; // EBADSLT: Invalid slot
    public static final int EBFONT = 59; // EBFONT: Bad font file format
    public static final int ENOSTR = 60; // ENOSTR: Device not a stream
    public static final int ENODATA = 61; // ENODATA: No data available
    public static final int ETIME = 62; // ETIME: Timer expired
    public static final int ENOSR = 63; // ENOSR: Out of streams resources
    public static final int ENONET = 64; // ENONET: Machine is not on the network
    public static final int ENOPKG = 65; // ENOPKG: Package not installed
    public static final int EREMOTE = 66; // EREMOTE: Object is remote
    public static final int ENOLINK = 67; // ENOLINK: Link has been severed
    public static final int EADV = 68; // EADV: Advertise error
    public static final int ESRMNT = 69; // ESRMNT: Srmount error
    public static final int ECOMM = 70; // ECOMM: Communication error on send
    public static final int EPROTO = 71; // EPROTO: Protocol error
    public static final int EMULTIHOP = 72; // EMULTIHOP: Multihop attempted
    public static final int EDOTDOT = 73; // EDOTDOT: RFS specific error
    public static final int EBADMSG = 74; // EBADMSG: Not a data message
    public static final int EOVERFLOW = 75; // EOVERFLOW: Value too large for defined data type
    public static final int ENOTUNIQ = 76; // ENOTUNIQ: Name not unique on network
    public static final int EBADFD = 77; // EBADFD: File descriptor in bad state
    public static final int EREMCHG = 78; // EREMCHG: Remote address changed
    public static final int ELIBACC = 79; // ELIBACC: Can not access a needed shared library
    public static final int ELIBBAD = 80; // ELIBBAD: Accessing a corrupted shared library
    public static final int ELIBSCN = 81; // ELIBSCN: .lib section in a.out corrupted
    public static final int ELIBMAX = 82; // ELIBMAX: Attempting to link in too many shared libraries
    public static final int ELIBEXEC = 83; // ELIBEXEC: Cannot exec a shared library directly
    public static final int EILSEQ = 84; // EILSEQ: Illegal byte sequence
    public static final int ERESTART = 85; // ERESTART: Interrupted system call should be restarted
    public static final int ESTRPIPE = 86; // ESTRPIPE: Streams pipe error
    public static final int EUSERS = 87; // EUSERS: Too many users
    public static final int ENOTSOCK = 88; // ENOTSOCK: Socket operation on non-socket
    public static final int EDESTADDRREQ = 89; // EDESTADDRREQ: Destination address required
    public static final int EMSGSIZE = 90; // EMSGSIZE: Message too long
    public static final int EPROTOTYPE = 91; // EPROTOTYPE: Protocol wrong type for socket
    public static final int ENOPROTOOPT = 92; // ENOPROTOOPT: Protocol not available
    public static final int EPROTONOSUPPORT = 93; // EPROTONOSUPPORT: Protocol not supported
    public static final int ESOCKTNOSUPPORT = 94; // ESOCKTNOSUPPORT: Socket type not supported
    public static final int EOPNOTSUPP = 95; // EOPNOTSUPP: Operation not supported on transport endpoint
    public static final int EPFNOSUPPORT = 96; // EPFNOSUPPORT: Protocol family not supported
    public static final int EAFNOSUPPORT = 97; // EAFNOSUPPORT: Address family not supported by protocol
    public static final int EADDRINUSE = 98; // EADDRINUSE: Address already in use
    public static final int EADDRNOTAVAIL = 99; // EADDRNOTAVAIL: Cannot assign requested address
    public static final int ENETDOWN = 100; // ENETDOWN: Network is down
    public static final int ENETUNREACH = 101; // ENETUNREACH: Network is unreachable
    public static final int ENETRESET = 102; // ENETRESET: Network dropped connection because of reset
    public static final int ECONNABORTED = 103; // ECONNABORTED: Software caused connection abort
    public static final int ECONNRESET = 104; // ECONNRESET: Connection reset by peer
    public static final int ENOBUFS = 105; // ENOBUFS: No buffer space available
    public static final int EISCONN = 106; // EISCONN: Transport endpoint is already connected
    public static final int ENOTCONN = 107; // ENOTCONN: Transport endpoint is not connected
    public static final int ESHUTDOWN = 108; // ESHUTDOWN: Cannot send after transport endpoint shutdown
    public static final int ETOOMANYREFS = 109; // ETOOMANYREFS: Too many references: cannot splice
    public static final int ETIMEDOUT = 110; // ETIMEDOUT: Connection timed out
    public static final int ECONNREFUSED = 111; // ECONNREFUSED: Connection refused
    public static final int EHOSTDOWN = 112; // EHOSTDOWN: Host is down
    public static final int EHOSTUNREACH = 113; // EHOSTUNREACH: No route to host
    public static final int EALREADY = 114; // EALREADY: Operation already in progress
    public static final int EINPROGRESS = 115; // EINPROGRESS: Operation now in progress
    public static final int ESTALE = 116; // ESTALE: Stale file handle
    public static final int EUCLEAN = 117; // EUCLEAN: Structure needs cleaning
    public static final int ENOTNAM = 118; // ENOTNAM: Not a XENIX named type file
    public static final int ENAVAIL = 119; // ENAVAIL: No XENIX semaphores available
    public static final int EISNAM = 120; // EISNAM: Is a named type file
    public static final int EREMOTEIO = 121; // EREMOTEIO: Remote I/O error
    public static final int EDQUOT = 122; // EDQUOT: Quota exceeded
    public static final int ENOMEDIUM = 123; // ENOMEDIUM: No medium found
    public static final int EMEDIUMTYPE = 124; // EMEDIUMTYPE: Wrong medium type
    public static final int ECANCELED = 125; // ECANCELED: Operation Canceled
    public static final int ENOKEY = 126; // ENOKEY: Required key not available
    public static final int EKEYEXPIRED = 127; // EKEYEXPIRED: Key has expired
    public static final int EKEYREVOKED = 128; // EKEYREVOKED: Key has been revoked
    public static final int EKEYREJECTED = 129; // EKEYREJECTED: Key was rejected by service
    public static final int EOWNERDEAD = 130; // EOWNERDEAD: Owner died
    public static final int ENOTRECOVERABLE = 131; // ENOTRECOVERABLE: State not recoverable
    public static final int ERFKILL = 132; // ERFKILL: Operation not possible due to RF-kill
    public static final int EHWPOISON = 133; // EHWPOISON: Memory page has hardware error
    public static final int EWOULDBLOCK = EAGAIN; // EWOULDBLOCK: same number as EAGAIN
    public static final int EDEADLOCK = EDEADLK; // EDEADLOCK: same number as EDEADLK

    /** The symbolic name of {@code errno} ("EPERM"), or "errno(n)" for a number not in the table. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case E2BIG -> "E2BIG";
            case ENOEXEC -> "ENOEXEC";
            case EBADF -> "EBADF";
            case ECHILD -> "ECHILD";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case ENOTBLK -> "ENOTBLK";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EXDEV -> "EXDEV";
            case ENODEV -> "ENODEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOTTY -> "ENOTTY";
            case ETXTBSY -> "ETXTBSY";
            case EFBIG -> "EFBIG";
            case ENOSPC -> "ENOSPC";
            case ESPIPE -> "ESPIPE";
            case EROFS -> "EROFS";
            case EMLINK -> "EMLINK";
            case EPIPE -> "EPIPE";
            case EDOM -> "EDOM";
            case ERANGE -> "ERANGE";
            case EDEADLK -> "EDEADLK";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOLCK -> "ENOLCK";
            case ENOSYS -> "ENOSYS";
            case ENOTEMPTY -> "ENOTEMPTY";
            case ELOOP -> "ELOOP";
            case ENOMSG -> "ENOMSG";
            case EIDRM -> "EIDRM";
            case ECHRNG -> "ECHRNG";
            case EL2NSYNC -> "EL2NSYNC";
            case EL3HLT -> "EL3HLT";
            case EL3RST -> "EL3RST";
            case ELNRNG -> "ELNRNG";
            case EUNATCH -> "EUNATCH";
            case ENOCSI -> "ENOCSI";
            case EL2HLT -> "EL2HLT";
            case EBADE -> "EBADE";
            case EBADR -> "EBADR";
            case EXFULL -> "EXFULL";
            case ENOANO -> "ENOANO";
            case EBADRQC -> "EBADRQC";
            case EBADSLT -> "EBADSLT";
            case EBFONT -> "EBFONT";
            case ENOSTR -> "ENOSTR";
            case ENODATA -> "ENODATA";
            case ETIME -> "ETIME";
            case ENOSR -> "ENOSR";
            case ENONET -> "ENONET";
            case ENOPKG -> "ENOPKG";
            case EREMOTE -> "EREMOTE";
            case ENOLINK -> "ENOLINK";
            case EADV -> "EADV";
            case ESRMNT -> "ESRMNT";
            case ECOMM -> "ECOMM";
            case EPROTO -> "EPROTO";
            case EMULTIHOP -> "EMULTIHOP";
            case EDOTDOT -> "EDOTDOT";
            case EBADMSG -> "EBADMSG";
            case EOVERFLOW -> "EOVERFLOW";
            case ENOTUNIQ -> "ENOTUNIQ";
            case EBADFD -> "EBADFD";
            case EREMCHG -> "EREMCHG";
            case ELIBACC -> "ELIBACC";
            case ELIBBAD -> "ELIBBAD";
            case ELIBSCN -> "ELIBSCN";
            case ELIBMAX -> "ELIBMAX";
            case ELIBEXEC -> "ELIBEXEC";
            case EILSEQ -> "EILSEQ";
            case ERESTART -> "ERESTART";
            case ESTRPIPE -> "ESTRPIPE";
            case EUSERS -> "EUSERS";
            case ENOTSOCK -> "ENOTSOCK";
            case EDESTADDRREQ -> "EDESTADDRREQ";
            case EMSGSIZE -> "EMSGSIZE";
            case EPROTOTYPE -> "EPROTOTYPE";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case ESOCKTNOSUPPORT -> "ESOCKTNOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EPFNOSUPPORT -> "EPFNOSUPPORT";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case ENETUNREACH -> "ENETUNREACH";
            case ENETRESET -> "ENETRESET";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case ENOBUFS -> "ENOBUFS";
            case EISCONN -> "EISCONN";
            case ENOTCONN -> "ENOTCONN";
            case ESHUTDOWN -> "ESHUTDOWN";
            case ETOOMANYREFS -> "ETOOMANYREFS";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case EALREADY -> "EALREADY";
            case EINPROGRESS -> "EINPROGRESS";
            case ESTALE -> "ESTALE";
            case EUCLEAN -> "EUCLEAN";
            case ENOTNAM -> "ENOTNAM";
            case ENAVAIL -> "ENAVAIL";
            case EISNAM -> "EISNAM";
            case EREMOTEIO -> "EREMOTEIO";
            case EDQUOT -> "EDQUOT";
            case ENOMEDIUM -> "ENOMEDIUM";
            case EMEDIUMTYPE -> "EMEDIUMTYPE";
            case ECANCELED -> "ECANCELED";
            case ENOKEY -> "ENOKEY";
            case EKEYEXPIRED -> "EKEYEXPIRED";
            case EKEYREVOKED -> "EKEYREVOKED";
            case EKEYREJECTED -> "EKEYREJECTED";
            case EOWNERDEAD -> "EOWNERDEAD";
            case ENOTRECOVERABLE -> "ENOTRECOVERABLE";
            case ERFKILL -> "ERFKILL";
            case EHWPOISON -> "EHWPOISON";
            default -> "errno(" + errno + ")";
        };
    }

    /** The header's description of {@code errno} ("Operation not permitted"), or "unknown error n". */
    public static String description(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case EIO -> "I/O error";
            case ENXIO -> "No such device or address";
            case E2BIG -> "Argument list too long";
            case ENOEXEC -> "Exec format error";
            case EBADF -> "Bad file number";
            case ECHILD -> "No child processes";
            case EAGAIN -> "Try again";
            case ENOMEM -> "Out of memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case ENOTBLK -> "Block device required";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case EXDEV -> "Cross-device link";
            case ENODEV -> "No such device";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case ENFILE -> "File table overflow";
            case EMFILE -> "Too many open files";
            case ENOTTY -> "Not a typewriter";
            case ETXTBSY -> "Text file busy";
            case EFBIG -> "File too large";
            case ENOSPC -> "No space left on device";
            case ESPIPE -> "Illegal seek";
            case EROFS -> "Read-only file system";
            case EMLINK -> "Too many links";
            case EPIPE -> "Broken pipe";
            case EDOM -> "Math argument out of domain of func";
            case ERANGE -> "Math result not representable";
            case EDEADLK -> "Resource deadlock would occur";
            case ENAMETOOLONG -> "File name too long";
            case ENOLCK -> "No record locks available";
            case ENOSYS -> "Invalid system call number";
            case ENOTEMPTY -> "Directory not empty";
            case ELOOP -> "Too many symbolic links encountered";
            case ENOMSG -> "No message of desired type";
            case EIDRM -> "Identifier removed";
            case ECHRNG -> "Channel number out of range";
            case EL2NSYNC -> "Level 2 not synchronized";
            case EL3HLT -> "Level 3 halted";
            case EL3RST -> "Level 3 reset";
            case ELNRNG -> "Link number out of range";
            case EUNATCH -> "Protocol driver not attached";
            case ENOCSI -> "No CSI structure available";
            case EL2HLT -> "Level 2 halted";
            case EBADE -> "Invalid exchange";
            case EBADR -> "Invalid request descriptor";
            case EXFULL -> "Exchange full";
            case ENOANO -> "No anode";
            case EBADRQC -> "Invalid request code";
            case EBADSLT -> "Invalid slot";
            case EBFONT -> "Bad font file format";
            case ENOSTR -> "Device not a stream";
            case ENODATA -> "No data available";
            case ETIME -> "Timer expired";
            case ENOSR -> "Out of streams resources";
            case ENONET -> "Machine is not on the network";
            case ENOPKG -> "Package not installed";
            case EREMOTE -> "Object is remote";
            case ENOLINK -> "Link has been severed";
            case EADV -> "Advertise error";
            case ESRMNT -> "Srmount error";
            case ECOMM -> "Communication error on send";
            case EPROTO -> "Protocol error";
            case EMULTIHOP -> "Multihop attempted";
            case EDOTDOT -> "RFS specific error";
            case EBADMSG -> "Not a data message";
            case EOVERFLOW -> "Value too large for defined data type";
            case ENOTUNIQ -> "Name not unique on network";
            case EBADFD -> "File descriptor in bad state";
            case EREMCHG -> "Remote address changed";
            case ELIBACC -> "Can not access a needed shared library";
            case ELIBBAD -> "Accessing a corrupted shared library";
            case ELIBSCN -> ".lib section in a.out corrupted";
            case ELIBMAX -> "Attempting to link in too many shared libraries";
            case ELIBEXEC -> "Cannot exec a shared library directly";
            case EILSEQ -> "Illegal byte sequence";
            case ERESTART -> "Interrupted system call should be restarted";
            case ESTRPIPE -> "Streams pipe error";
            case EUSERS -> "Too many users";
            case ENOTSOCK -> "Socket operation on non-socket";
            case EDESTADDRREQ -> "Destination address required";
            case EMSGSIZE -> "Message too long";
            case EPROTOTYPE -> "Protocol wrong type for socket";
            case ENOPROTOOPT -> "Protocol not available";
            case EPROTONOSUPPORT -> "Protocol not supported";
            case ESOCKTNOSUPPORT -> "Socket type not supported";
            case EOPNOTSUPP -> "Operation not supported on transport endpoint";
            case EPFNOSUPPORT -> "Protocol family not supported";
            case EAFNOSUPPORT -> "Address family not supported by protocol";
            case EADDRINUSE -> "Address already in use";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case ENETDOWN -> "Network is down";
            case ENETUNREACH -> "Network is unreachable";
            case ENETRESET -> "Network dropped connection because of reset";
            case ECONNABORTED -> "Software caused connection abort";
            case ECONNRESET -> "Connection reset by peer";
            case ENOBUFS -> "No buffer space available";
            case EISCONN -> "Transport endpoint is already connected";
            case ENOTCONN -> "Transport endpoint is not connected";
            case ESHUTDOWN -> "Cannot send after transport endpoint shutdown";
            case ETOOMANYREFS -> "Too many references: cannot splice";
            case ETIMEDOUT -> "Connection timed out";
            case ECONNREFUSED -> "Connection refused";
            case EHOSTDOWN -> "Host is down";
            case EHOSTUNREACH -> "No route to host";
            case EALREADY -> "Operation already in progress";
            case EINPROGRESS -> "Operation now in progress";
            case ESTALE -> "Stale file handle";
            case EUCLEAN -> "Structure needs cleaning";
            case ENOTNAM -> "Not a XENIX named type file";
            case ENAVAIL -> "No XENIX semaphores available";
            case EISNAM -> "Is a named type file";
            case EREMOTEIO -> "Remote I/O error";
            case EDQUOT -> "Quota exceeded";
            case ENOMEDIUM -> "No medium found";
            case EMEDIUMTYPE -> "Wrong medium type";
            case ECANCELED -> "Operation Canceled";
            case ENOKEY -> "Required key not available";
            case EKEYEXPIRED -> "Key has expired";
            case EKEYREVOKED -> "Key has been revoked";
            case EKEYREJECTED -> "Key was rejected by service";
            case EOWNERDEAD -> "Owner died";
            case ENOTRECOVERABLE -> "State not recoverable";
            case ERFKILL -> "Operation not possible due to RF-kill";
            case EHWPOISON -> "Memory page has hardware error";
            default -> "unknown error " + errno;
        };
    }

    /** The number whose symbolic name is {@code name} ("ENOBUFS" → 105), or -1 when there is none. */
    public static int number(String name) {
        for (int n = 1; n <= MAX; n++) {
            if (name(n).equals(name)) {
                return n;
            }
        }
        return switch (name) {
            case "EWOULDBLOCK" -> EWOULDBLOCK;
            case "EDEADLOCK" -> EDEADLOCK;
            default -> -1;
        };
    }

    /** True when {@code errno} is a number in the table. */
    public static boolean isKnown(int errno) {
        return !name(errno).startsWith("errno(");
    }

    private static final int MAX = EHWPOISON; // the highest number in errno.h
}
