/// Direct reads and writes of a local or netns target's kernel state: /proc/sys values and the
/// main IPv4 routing table. No process is spawned: for a namespace the work runs on a thread
/// that has joined it (see `NetworkNamespace`).
struct KernelAccess {
    let target: Target

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` where this target's /proc/sys and /proc/thread-self/net are visible.
    func within<T>(_ body: () throws -> T) throws -> T {
        switch target {
        case .local:
            return try body()
        case .netns(let name):
            return try NetworkNamespace.run(in: name, body)
        case .ssh:
            throw Failure(description: "\(target) has no direct kernel access")
        }
    }

    /// The value of a sysctl key, without its trailing newline.
    func readSysctl(_ key: String) throws -> String {
        let path = SysctlKey.procPath(key)
        guard let bytes = try FileIO.read(path) else {
            throw Failure(description: "\(key) does not exist on \(target) (no \(path))")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        return text
    }

    func writeSysctl(_ key: String, _ value: String) throws {
        try FileIO.overwrite(SysctlKey.procPath(key), with: value + "\n")
    }

    /// The main IPv4 table, from /proc/thread-self/net/route (per thread, so it follows the
    /// namespace the thread joined; /proc/net is the process's).
    func routes() throws -> [RouteEntry] {
        guard let bytes = try FileIO.read("/proc/thread-self/net/route") else {
            throw Failure(description: "no /proc/thread-self/net/route on \(target)")
        }
        return KernelAccess.parseProcRoutes(String(decoding: bytes, as: UTF8.self))
    }

    /// `/proc/net/route`: tab-separated `Iface Destination Gateway Flags RefCnt Use Metric Mask
    /// ...`, addresses as 8 hex digits of the host-order integer (byte-reversed on x86).
    static func parseProcRoutes(_ text: String) -> [RouteEntry] {
        var entries: [RouteEntry] = []
        for line in Bytes.lines(text).dropFirst() {
            let fields = Bytes.fields(line)
            guard fields.count >= 8, let destination = UInt32(fields[1], radix: 16), let gateway = UInt32(fields[2], radix: 16),
                  let flags = UInt32(fields[3], radix: 16), let metric = Int(fields[6]), let mask = UInt32(fields[7], radix: 16),
                  flags & 0x1 != 0 else { continue }
            let length = UInt32(bigEndian: mask).nonzeroBitCount
            var flagText = "U"
            if flags & 0x2 != 0 { flagText += "G" }
            if flags & 0x4 != 0 { flagText += "H" }
            entries.append(RouteEntry(destination: "\(dotted(destination))/\(length)", gateway: gateway == 0 ? nil : dotted(gateway),
                                      device: String(fields[0]), metric: metric, flags: flagText))
        }
        return entries
    }

    private static func dotted(_ value: UInt32) -> String {
        let address = UInt32(bigEndian: value)
        return "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}
