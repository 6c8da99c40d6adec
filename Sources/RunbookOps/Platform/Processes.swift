import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// Other processes, as the lab needs them: which belong to a network namespace, whether one
/// still runs, and killing them.
enum Processes {
    /// This process.
    static var current: Int32 { getpid() }

    /// Field 22 of /proc/PID/stat, the process's start time in clock ticks since boot: with the
    /// PID, it names a process that a reused PID cannot be taken for.
    static func startTime(_ pid: Int32) -> String? {
        guard let bytes = try? FileIO.read("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")"))
        else {
            return nil
        }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        return fields.count > 19 ? String(decoding: fields[19], as: UTF8.self) : nil
    }

    /// Kills every process whose network namespace is the one bound at `path` (/run/netns/NAME):
    /// deleting a namespace does not end the processes in it (responders, timers).
    static func killAll(inNamespaceAt path: String) {
        var target = stat()
        guard stat(path, &target) == 0 else { return }
        for entry in FileIO.names(in: "/proc") ?? [] where entry.allSatisfy(\.isNumber) {
            var info = stat()
            if stat("/proc/\(entry)/ns/net", &info) == 0, info.st_ino == target.st_ino, info.st_dev == target.st_dev,
                let pid = Int32(entry)
            {
                kill(pid, SIGKILL)
            }
        }
    }

    /// Removes a directory when it is empty, atomically (rmdir(2)); else leaves it.
    static func removeIfEmpty(_ directory: String) {
        rmdir(directory)
    }
}
