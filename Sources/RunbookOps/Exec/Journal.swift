import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only record of a run: one JSON object per step and target, written and flushed as
/// each step ends, so that a run killed half-way still says what it did.
public final class Journal {
    public let path: String
    private let fd: Int32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The default place: `.runbook/journal/<runbook>-<UTC timestamp>.jsonl` under the current
    /// directory.
    public static func defaultPath(for runbook: String, at time: Double) -> String {
        let name =
            runbook.split(separator: "/").last.map { $0.hasSuffix(".md") ? String($0.dropLast(3)) : String($0) }
            ?? "runbook"
        let stamp = Timestamp.iso8601(time).filter { $0 != "-" && $0 != ":" }.prefix(15)
        return ".runbook/journal/\(name)-\(stamp).jsonl"
    }

    public init(path: String) throws(Failure) {
        self.path = path
        if let slash = path.lastIndex(of: "/") {
            var current = path.hasPrefix("/") ? "" : "."
            for component in path[..<slash].split(separator: "/") {
                current += "/" + component
                _ = mkdir(current, 0o755)
            }
        }
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Failure(description: "cannot open journal \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(fd)
    }

    public func record(_ outcome: StepOutcome) {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("step", outcome.step.index)
        writer.field("line", outcome.step.line)
        writer.field("host", outcome.step.host)
        writer.field("target", outcome.target?.description)
        writer.field("kind", outcome.step.kind.rawValue)
        writer.field("start", Timestamp.iso8601(outcome.started))
        writer.field("end", Timestamp.iso8601(outcome.ended))
        writer.field("verdict", outcome.verdict.rawValue)
        writer.field("message", outcome.message)
        writer.key("warnings")
        writer.beginArray()
        for warning in outcome.warnings { writer.string(warning) }
        writer.endArray()
        writer.field("diff", outcome.diff)
        writer.field("exit", outcome.exitStatus.map(Int.init))
        writer.field("stdout", outcome.stdout)
        writer.field("stderr", outcome.stderr)
        writer.key("undo")
        if let undo = outcome.undo { undo.write(to: &writer) } else { writer.nullValue() }
        writer.endObject()
        append(writer.bytes + [0x0A])
    }

    /// Marks a run stopped by a signal.
    public func recordInterruption(at time: Double, signal: Int32) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("interrupted", Timestamp.iso8601(time))
        writer.field("signal", Int(signal))
        writer.endObject()
        append(writer.bytes + [0x0A])
    }

    /// One write(2) per record with O_APPEND: the line is in the kernel, whole, before the next
    /// step starts (no fsync: a killed process, not a power cut, is what this guards against).
    private func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
    }
}

extension Undo {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .sysctl(let key, let value, let file, let content):
            writer.field("sysctl", key)
            writer.field("value", value)
            writer.field("file", file)
            writer.field("content", content)
        case .route(let restore, let remove):
            writer.key("restore")
            writer.beginArray()
            for route in restore { route.write(to: &writer) }
            writer.endArray()
            writer.key("remove")
            writer.beginArray()
            for route in remove { route.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }

    /// Reads back what `write` wrote.
    init?(json: [String: Any]) {
        if let key = json["sysctl"] as? String {
            self = .sysctl(
                key: key, value: json["value"] as? String, file: json["file"] as? String,
                fileContent: json["content"] as? String)
            return
        }
        func routes(_ name: String) -> [RouteEntry]? {
            (json[name] as? [[String: Any]])?.compactMap { route in
                (route["destination"] as? String).map {
                    RouteEntry(
                        destination: $0, gateway: route["gateway"] as? String, device: route["device"] as? String,
                        metric: route["metric"] as? Int ?? 0, flags: route["flags"] as? String)
                }
            }
        }
        guard let restore = routes("restore"), let remove = routes("remove") else { return nil }
        self = .route(restore: restore, remove: remove)
    }
}
