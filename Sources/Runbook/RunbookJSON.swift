/// The `runbook/v1` JSON contract of `runbook parse --format json`. Scripts depend on it:
/// fields may be added, never renamed or removed. One step per line, so that `grep` and line
/// diffs work on it as well as `jq`.
extension Runbook {
    public static let schema = "runbook/v1"

    public func json() -> [UInt8] {
        var bytes: [UInt8] = []
        writeJSON { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Hands the document to `sink` piece by piece, so that a large one goes to its file
    /// without first being joined in memory.
    public func writeJSON(to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        var head = JSONWriter(capacity: 256)
        head.beginObject()
        head.field("schema", Runbook.schema)
        head.field("file", file)
        head.field("title", title)
        head.key("hosts")
        head.beginArray()
        for host in hosts { head.string(host) }
        head.endArray()
        head.raw(#","steps":["#)
        head.withBytes(sink)
        // Steps are written in parallel chunks, one step per line, and handed to the sink in
        // order, a few chunks at a time: memory stays bounded and the buffers are reused.
        let chunkSize = 1024
        let chunkCount = (steps.count + chunkSize - 1) / chunkSize
        let batch = 4 * processorCount
        for first in stride(from: 0, to: chunkCount, by: batch) {
            let chunks = parallelMap(min(batch, chunkCount - first)) { offset in
                let chunk = first + offset
                var writer = JSONWriter(capacity: chunkSize * 320)
                steps.withUnsafeBufferPointer { steps in
                    for position in (chunk * chunkSize)..<min(steps.count, (chunk + 1) * chunkSize) {
                        writer.raw(position == 0 ? "\n" : ",\n")
                        steps[position].write(to: &writer)
                    }
                }
                return writer.finish()
            }
            for chunk in chunks { chunk.withBytes(sink) }
        }
        var tail = JSONWriter()
        tail.raw(steps.isEmpty ? "]" : "\n]")
        tail.raw(#","warnings":"#)
        tail.beginArray()
        for warning in warnings {
            tail.beginObject()
            tail.field("line", warning.location.line)
            tail.field("message", warning.message)
            tail.endObject()
        }
        tail.endArray()
        tail.raw("}\n")
        tail.withBytes(sink)
    }
}

extension Step {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("index", index)
        writer.field("line", line)
        writer.field("section", section)
        writer.field("host", host)
        writer.field("cwd", cwd)
        writer.field("user", user)
        writer.field("kind", kind.rawValue)
        switch action {
        case .sysctl(let setting):
            writer.field("key", setting.key)
            writer.field("value", setting.value)
            writer.field("persist", setting.persist)
            writer.field("command", setting.command)
        case .route(let change):
            writer.field("action", change.action.rawValue)
            writer.field("destination", change.destination)
            writer.field("gateway", change.gateway)
            writer.field("device", change.device)
            writer.field("metric", change.metric)
            writer.field("command", change.command)
        case .command(let command):
            writer.field("command", command.text)
            writer.key("audit")
            writer.bool(command.isAuditable)
            writer.key("expect")
            if let expect = command.expect {
                writer.beginObject()
                writer.field("output", expect.output)
                writer.key("routes")
                if let routes = expect.routes {
                    writer.beginArray()
                    for route in routes { route.write(to: &writer) }
                    writer.endArray()
                } else {
                    writer.nullValue()
                }
                writer.key("precondition")
                writer.bool(expect.isPrecondition)
                writer.endObject()
            } else {
                writer.nullValue()
            }
        }
        writer.endObject()
    }
}

extension RouteEntry {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("destination", destination)
        writer.field("gateway", gateway)
        writer.field("device", device)
        writer.field("metric", metric)
        writer.field("flags", flags)
        writer.endObject()
    }
}
