import RunbookCore

extension LabTopology {
    /// `runbook lab topology --format json`.
    public func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("line", line)
        writer.field("subnet", subnet)
        writer.field("prefix_length", prefixLength)
        writer.field("virtual_address", virtualAddress)
        writer.field("port", port)
        writer.key("hosts")
        writer.beginArray()
        for host in hosts {
            writer.beginObject()
            writer.field("name", host.name)
            writer.field("role", host.role)
            writer.key("addresses")
            writer.beginArray()
            for address in host.addresses {
                writer.beginObject()
                writer.field("address", "\(address.address)/\(address.length)")
                writer.field("name", address.name)
                writer.field("label", address.label)
                writer.field("line", address.line)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    /// A table for people.
    public func text(file: String) -> String {
        var out = "\(file):\(line): \(hosts.count) hosts on \(subnets.joined(separator: ", "))"
        if let virtualAddress { out += ", service \(virtualAddress):\(port)" }
        out += "\n"
        let width = hosts.map(\.name.count).max() ?? 0
        for host in hosts {
            let addresses = host.addresses.map {
                "\($0.name.map { "\($0)=" } ?? "")\($0.address)/\($0.length) (\($0.label))"
            }
            out += "  \(host.name.padding(width))  \(host.role.padding(10))  \(addresses.joined(separator: ", "))\n"
        }
        return out
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
