import RunbookCore

/// `/proc/net/ip_vs`: services as `TCP  C0A8010A:0050 wrr ` or `FWM  0000000A rr ` (addresses,
/// ports and marks in hex, addresses in network order), and their servers as
/// `  -> C0A8B36F:0050      Masq    2      0          0`.
enum ProcIPVS {
    static func parse(_ text: String) -> [IPVSService] {
        var services: [IPVSService] = []
        for line in Bytes.lines(text).dropFirst(3) {
            let fields = Bytes.fields(line)
            if fields.first == "->", fields.count >= 4, let address = endpoint(fields[1]), !services.isEmpty {
                let forwarding = IPVSService.forwarding(listed: fields[2]) ?? nil
                services[services.count - 1].servers.append(
                    IPVSService.Server(address: address, forwarding: forwarding, weight: Int(fields[3]) ?? 0))
                continue
            }
            guard fields.count >= 3, let serviceProtocol = IPVSService.serviceProtocol(listed: fields[0]) else {
                continue
            }
            // The service in hex: `C0A8010A:0050`, or the mark of a fwmark service.
            let service =
                serviceProtocol == .fwmark ? UInt32(fields[1], radix: 16).map(String.init) : endpoint(fields[1])
            guard let service else { continue }
            // After the scheduler: `ops ` for one-packet scheduling, then `persistent T MASK`.
            services.append(
                IPVSService(
                    serviceProtocol: serviceProtocol, service: service, scheduler: String(fields[2]),
                    persistent: IPVSService.persistence(fields), servers: []))
        }
        return services
    }

    /// `C0A8010A:0050` as `192.168.1.10:80`.
    private static func endpoint(_ text: Substring) -> String? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let address = UInt32(parts[0], radix: 16), let port = UInt16(parts[1], radix: 16)
        else { return nil }
        return "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF):\(port)"
    }
}
