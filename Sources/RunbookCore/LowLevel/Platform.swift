#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The C library, wrapped once: the only file of RunbookCore that imports it. Byte scans, the
/// processor count and error texts are small named helpers so that the rest reads as Swift.
package enum Platform {
    /// Cores online: what parallel work is cut for.
    package static let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The C library's text for an errno value.
    package static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    package static let noSuchFile = ENOENT, isADirectory = EISDIR, fileTooLarge = EFBIG

    /// Offset of the first `byte` in `count` bytes at `start`, by `memchr`.
    @inline(__always)
    package static func firstByte(_ byte: UInt8, at start: UnsafeRawPointer, count: Int) -> UnsafeMutableRawPointer? {
        memchr(start, Int32(byte), count)
    }

    /// Whether `count` bytes at `a` and `b` are equal, by `memcmp`.
    @inline(__always)
    package static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// The standard streams, for the CLI's output and its questions.
    package enum Stream: Int32, Sendable {
        case input = 0, output = 1, error = 2
    }

    /// Whether a terminal is on the other end of `stream`.
    package static func isTerminal(_ stream: Stream) -> Bool { isatty(stream.rawValue) == 1 }

    /// Writes everything to `stream`, through short writes and signals; a closed pipe (`| head`)
    /// ends it.
    package static func write(_ buffer: UnsafeBufferPointer<UInt8>, to stream: Stream) {
        var offset = 0
        while offset < buffer.count {
            #if canImport(Glibc)
                let written = Glibc.write(stream.rawValue, buffer.baseAddress! + offset, buffer.count - offset)
            #else
                let written = Darwin.write(stream.rawValue, buffer.baseAddress! + offset, buffer.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Whether this process runs as root (the lab creates namespaces).
    package static var isRoot: Bool { getuid() == 0 }

    /// Sleeps the calling thread.
    package static func sleep(milliseconds: Int) { usleep(UInt32(milliseconds) * 1000) }

    /// Length of a NUL-terminated C string.
    @inline(__always)
    package static func cStringLength(_ string: UnsafePointer<CChar>) -> Int { strlen(string) }
}

/// Whole-file reads and atomic replacement with plain system calls: /proc/sys files report a
/// size of 0 and must be read to end of file, and config files must never be left half
/// written.
package enum FileIO {
    package struct Failure: Error, CustomStringConvertible {
        package var path: String
        package var action: String
        package var code: Int32
        /// Said instead of the C library's text for `code`.
        package var reason: String? = nil

        package var description: String { "cannot \(action) \(path): \(reason ?? Platform.errorText(code))" }
    }

    /// The file's bytes; nil when it does not exist. Refuses directories and files over `limit`.
    package static func read(_ path: String, limit: Int = .max, regularOnly: Bool = false) throws(Failure) -> [UInt8]? {
        try withOpenFile(path, limit: limit, regularOnly: regularOnly) { (fd, size) throws(Failure) in
            // Straight into the array, one copy from the page cache, sized by what fstat says:
            // /proc files report 0, and a page is enough for them.
            var filled: Swift.Result<(count: Int, atEnd: Bool), Failure> = .success((0, true))
            var bytes = [UInt8](unsafeUninitializedCapacity: max(4096, size + 1)) { buffer, count in
                filled = fill(buffer, from: fd, path: path)
                count = (try? filled.get())?.count ?? 0
            }
            if try !filled.get().atEnd { try readRest(fd, into: &bytes, limit: limit, path: path) }
            if bytes.count > limit { throw Failure(path: path, action: "read", code: EFBIG) }
            return bytes
        }
    }

    /// Reads on to the end of a file that outgrew the size fstat gave (a file being written, a
    /// /proc file over a page, a pipe), after the `bytes` already read from it.
    package static func readRest(_ fd: Int32, into bytes: inout [UInt8], limit: Int, path: String) throws(Failure) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var atEnd = false
        while !atEnd {
            if bytes.count > limit { throw Failure(path: path, action: "read", code: EFBIG) }
            let more = try chunk.withUnsafeMutableBufferPointer { buffer in fill(buffer, from: fd, path: path) }.get()
            atEnd = more.atEnd
            bytes.append(contentsOf: chunk[0..<more.count])
        }
    }

    /// Opens a file to read and hands its descriptor and the size fstat gives to `body`; nil
    /// when the file does not exist. Refuses directories and files over `limit`.
    /// With `regularOnly`, anything but a regular file is refused, and opening it never waits
    /// (a FIFO would wait for a writer; `/dev/zero` would never end).
    package static func withOpenFile<Result>(
        _ path: String, limit: Int, regularOnly: Bool = false, _ body: (Int32, Int) throws(Failure) -> Result
    ) throws(Failure) -> Result? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularOnly ? O_NONBLOCK : 0))
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw Failure(path: path, action: "open", code: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: path, action: "stat", code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, action: "read", code: EISDIR) }
        if regularOnly, (info.st_mode & S_IFMT) != S_IFREG {
            throw Failure(path: path, action: "read", code: EINVAL, reason: "not a regular file")
        }
        if Int(info.st_size) > limit { throw Failure(path: path, action: "read", code: EFBIG) }
        return try body(fd, Int(info.st_size))
    }

    /// Reads into `buffer` until it is full or the file ends: how many bytes were read, and
    /// whether the end was reached.
    package static func fill(
        _ buffer: UnsafeMutableBufferPointer<UInt8>, from fd: Int32, path: String
    ) -> Swift.Result<(count: Int, atEnd: Bool), Failure> {
        var count = 0
        while count < buffer.count {
            let read = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if read < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(path: path, action: "read", code: errno))
            }
            if read == 0 { return .success((count, true)) }
            count += read
        }
        return .success((count, false))
    }

    /// Writes into an existing file without truncating or creating it, as writing a value to
    /// /proc/sys needs (one write call, so the kernel sees the whole value).
    package static func overwrite(_ path: String, with text: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, action: "open", code: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw Failure(path: path, action: "write", code: written < 0 ? errno : EIO)
        }
    }

    /// Replaces the file atomically: a temporary file in the same directory, fsync, rename,
    /// with the mode and owner of the file it replaces (0644 for a new one). Missing
    /// directories are created.
    package static func replace(_ path: String, with text: String, newFileMode: mode_t = 0o644) throws(Failure) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        try makeDirectories(directory)
        var old = stat()
        let exists = stat(path, &old) == 0
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        var template = Array("\(directory)/.\(name).runbook-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(path: directory, action: "create a temporary file in", code: errno) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do throws(Failure) {
            defer { close(fd) }
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: temporary, action: "write", code: errno)
                }
                offset += written
            }
            guard fchmod(fd, exists ? old.st_mode & 0o7777 : newFileMode) == 0 else {
                throw Failure(path: temporary, action: "chmod", code: errno)
            }
            if exists, fchown(fd, old.st_uid, old.st_gid) != 0 {
                throw Failure(path: temporary, action: "chown", code: errno)
            }
            guard fsync(fd) == 0 else { throw Failure(path: temporary, action: "fsync", code: errno) }
            guard rename(temporary, path) == 0 else { throw Failure(path: path, action: "replace", code: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// `mkdir -p`. A parent removed by a concurrent cleanup (an empty /etc/netns) between two
    /// mkdir calls shows as ENOENT: the whole chain is tried again.
    private static func makeDirectories(_ path: String) throws(Failure) {
        var attempt = 0
        while true {
            var current = path.hasPrefix("/") ? "" : "."
            var failure: Failure? = nil
            for component in path.split(separator: "/") {
                current += "/" + component
                if mkdir(current, 0o755) != 0 && errno != EEXIST {
                    failure = Failure(path: current, action: "create directory", code: errno)
                    break
                }
            }
            guard let failure else { return }
            attempt += 1
            if failure.code != ENOENT || attempt == 3 { throw failure }
        }
    }

    /// The names in a directory (without `.` and `..`), read with one opendir and no stat per
    /// entry; nil when it does not exist.
    package static func names(in path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; one that does not exist is already removed.
    package static func remove(_ path: String) throws(Failure) {
        guard unlink(path) == 0 || errno == ENOENT else { throw Failure(path: path, action: "remove", code: errno) }
    }

    /// A file records are appended to (a journal): each `append` writes its whole record with
    /// one write(2) on an O_APPEND descriptor, so that records never interleave and a process
    /// killed between two leaves none half-written but the last; `sync` makes them durable.
    package final class AppendOnly {
        package let path: String
        private let fd: Int32

        /// Opens `path` for appending, creating it and its directories.
        package init(_ path: String) throws(Failure) {
            self.path = path
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                try makeDirectories(String(path[..<slash]))
            }
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure(path: path, action: "open", code: errno) }
        }

        deinit { close(fd) }

        /// Appends `bytes`; a write that cannot be whole (a full disk) is an error.
        package func append(_ bytes: [UInt8]) throws(Failure) {
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: path, action: "write", code: errno)
                }
                written += count
            }
        }

        /// A file that cannot be synced (`/dev/null`, a pipe: EINVAL) has nothing to make durable.
        package func sync() throws(Failure) {
            guard fdatasync(fd) == 0 || errno == EINVAL else { throw Failure(path: path, action: "sync", code: errno) }
        }
    }
}
