import RunbookCore

/// An append-only record of a run: one JSON object per step and target, written whole and
/// synced as each step ends, so that a run killed half-way (or a machine that lost power) still
/// says what it did and how to undo it.
public final class Journal {
    public var path: String { file.path }
    private let file: FileIO.AppendOnly

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
        do {
            file = try FileIO.AppendOnly(path)
        } catch {
            throw Failure(description: "cannot open journal: \(error)")
        }
    }

    /// Records a step's outcome; a journal that cannot be written (a full disk) is an error,
    /// since a run whose undo records are lost cannot be rolled back.
    public func record(_ outcome: StepOutcome) throws(Failure) {
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
        try append(writer.bytes + [0x0A])
    }

    /// Marks a run stopped by a signal.
    public func recordInterruption(at time: Double, signal: Int32) throws(Failure) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("interrupted", Timestamp.iso8601(time))
        writer.field("signal", Int(signal))
        writer.endObject()
        try append(writer.bytes + [0x0A])
    }

    /// One write(2) per record, then fdatasync: the record is on disk, whole, before the next
    /// step starts.
    private func append(_ bytes: [UInt8]) throws(Failure) {
        do {
            try file.append(bytes)
            try file.sync()
        } catch {
            throw Failure(description: "cannot write the journal: \(error)")
        }
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
            Self.write("restore", restore, to: &writer) { $0.write(to: &$1) }
            Self.write("remove", remove, to: &writer) { $0.write(to: &$1) }
        case .address(let restore, let remove):
            Self.write("restore_addresses", restore, to: &writer) { $0.write(to: &$1) }
            Self.write("remove_addresses", remove, to: &writer) { $0.write(to: &$1) }
        }
        writer.endObject()
    }

    private static func write<Item>(
        _ key: StaticString, _ items: [Item], to writer: inout JSONWriter, _ element: (Item, inout JSONWriter) -> Void
    ) {
        writer.key(key)
        writer.beginArray()
        for item in items { element(item, &writer) }
        writer.endArray()
    }
}
