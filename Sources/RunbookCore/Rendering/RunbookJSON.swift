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
        let batch = 4 * Platform.processorCount
        for first in stride(from: 0, to: chunkCount, by: batch) {
            let chunks = parallelMap(min(batch, chunkCount - first)) { offset in
                let chunk = first + offset
                var writer = JSONWriter(capacity: chunkSize * 320)
                steps.withUnsafeBufferPointer { steps in
                    for position in (chunk * chunkSize)..<min(steps.count, (chunk + 1) * chunkSize) {
                        writer.raw(position == 0 ? "\n" : ",\n")
                        Step.write(steps[position], to: &writer)
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
    /// Written member by member with the layout spelled out: steps are most of a runbook's
    /// JSON, and the writer's comma bookkeeping per member was a third of its cost. Only at
    /// the top level of a writer (a chunk of steps). The step is borrowed: a copy of each (a
    /// retain and release of each of its strings) was a tenth of the writing.
    package static func write(_ step: borrowing Step, to writer: inout JSONWriter) {
        writer.member(#"{"index":"#, step.index)
        writer.member(#","line":"#, step.line)
        writer.member(#","section":"#, step.section)
        writer.member(#","host":"#, step.host)
        writer.member(#","cwd":"#, step.cwd)
        writer.member(#","user":"#, step.user)
        writer.member(#","kind":"#, step.kind.rawValue)
        switch step.action {
        case .sysctl(let setting):
            writer.member(#","key":"#, setting.key)
            writer.member(#","value":"#, setting.value)
            writer.member(#","persist":"#, setting.persist)
            writer.member(#","command":"#, setting.command)
        case .route(let change):
            writer.member(#","action":"#, change.action.rawValue)
            writer.member(#","destination":"#, change.destination)
            writer.member(#","gateway":"#, change.gateway)
            writer.member(#","device":"#, change.device)
            writer.member(#","metric":"#, change.metric)
            writer.member(#","command":"#, change.command)
        case .address(let change):
            writer.member(#","action":"#, change.action.rawValue)
            writer.member(#","address":"#, change.address)
            writer.member(#","device":"#, change.device)
            writer.member(#","label":"#, change.label)
            writer.member(#","command":"#, change.command)
        case .ipvs(let rule):
            writer.member(#","action":"#, rule.action.rawValue)
            writer.member(#","protocol":"#, rule.serviceProtocol?.rawValue)
            writer.member(#","service":"#, rule.service)
            writer.member(#","scheduler":"#, rule.scheduler)
            writer.member(#","persistent":"#, rule.persistent)
            writer.member(#","server":"#, rule.server)
            writer.member(#","forwarding":"#, rule.forwarding?.rawValue)
            writer.member(#","weight":"#, rule.weight)
            writer.member(#","command":"#, rule.command)
        case .command(let command):
            writer.member(#","command":"#, command.text)
            writer.member(#","audit":"#, command.isAuditable)
            if let expect = command.expect {
                writer.member(#","expect":{"output":"#, expect.output)
                writer.raw(#","routes":"#)
                if let routes = expect.routes {
                    writer.beginArray()
                    for route in routes { route.write(to: &writer) }
                    writer.endArray()
                } else {
                    writer.raw("null")
                }
                if let ipvs = expect.ipvs {
                    writer.raw(#","ipvs":"#)
                    writer.beginArray()
                    for service in ipvs { service.write(to: &writer) }
                    writer.endArray()
                }
                if let addresses = expect.addresses {
                    writer.raw(#","addresses":"#)
                    writer.beginArray()
                    for address in addresses { address.write(to: &writer) }
                    writer.endArray()
                }
                writer.member(#","precondition":"#, expect.isPrecondition)
                if expect.isPartial { writer.raw(#","partial":true"#) }
                writer.raw("}")
            } else {
                writer.raw(#","expect":null"#)
            }
        }
        if !step.variables.isEmpty {
            writer.raw(#","variables":"#)
            writer.beginArray()
            for name in step.variables { writer.string(name) }
            writer.endArray()
        }
        writer.raw("}")
    }
}

extension RouteEntry {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("destination", destination)
        writer.field("gateway", gateway)
        writer.field("device", device)
        writer.field("metric", metric)
        writer.field("flags", flags)
        writer.endObject()
    }
}

extension InterfaceAddress {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("address", address)
        writer.field("device", device)
        writer.field("label", label)
        writer.endObject()
    }
}

extension IPVSService {
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("protocol", serviceProtocol.rawValue)
        writer.field("service", service)
        writer.field("scheduler", scheduler)
        writer.field("persistent", persistent)
        writer.key("servers")
        writer.beginArray()
        for server in servers {
            writer.beginObject()
            writer.field("address", server.address)
            writer.field("forwarding", server.forwarding?.rawValue ?? "local")
            writer.field("weight", server.weight)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
