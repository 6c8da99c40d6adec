import RunbookCore

/// `/proc/net/route`: tab-separated `Iface Destination Gateway Flags RefCnt Use Metric Mask ...`,
/// addresses as 8 hex digits of the host-order integer (byte-reversed on x86).
enum ProcRoutes {
    static func parse(_ text: String) -> [RouteEntry] {
        var entries: [RouteEntry] = []
        for line in Bytes.lines(text).dropFirst() {
            let fields = Bytes.fields(line)
            guard fields.count >= 8, let destination = UInt32(fields[1], radix: 16),
                let gateway = UInt32(fields[2], radix: 16),
                let flags = UInt32(fields[3], radix: 16), let metric = Int(fields[6]),
                let mask = UInt32(fields[7], radix: 16),
                flags & 0x1 != 0
            else { continue }
            var flagText = "U"
            if flags & 0x2 != 0 { flagText += "G" }
            if flags & 0x4 != 0 { flagText += "H" }
            entries.append(
                RouteEntry(
                    destination: "\(dotted(destination))/\(UInt32(bigEndian: mask).nonzeroBitCount)",
                    gateway: gateway == 0 ? nil : dotted(gateway), device: String(fields[0]),
                    metric: metric, flags: flagText))
        }
        return entries
    }

    private static func dotted(_ value: UInt32) -> String {
        let address = UInt32(bigEndian: value)
        return "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}
