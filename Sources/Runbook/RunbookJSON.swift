/// The `runbook/v1` JSON contract of `runbook parse --format json`. Scripts depend on it:
/// fields may be added, never renamed or removed. One step per line, so that `grep` and line
/// diffs work on it as well as `jq`.
extension Runbook {
    public static let schema = "runbook/v1"

    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + steps.count * 320)
        writer.beginObject()
        writer.field("schema", Runbook.schema)
        writer.field("file", file)
        writer.field("title", title)
        writer.key("hosts")
        writer.beginArray()
        for host in hosts { writer.string(host) }
        writer.endArray()
        writer.key("steps")
        writer.beginArray()
        for step in steps {
            writer.newline()
            step.write(to: &writer)
        }
        if !steps.isEmpty { writer.newline() }
        writer.endArray()
        writer.key("warnings")
        writer.beginArray()
        for warning in warnings {
            writer.beginObject()
            writer.field("line", warning.location.line)
            writer.field("message", warning.message)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes + [UInt8(ascii: "\n")]
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
