/// `ipvsadm -Ln` output, documented after the command:
///
///     IP Virtual Server version 1.2.1 (size=4096)
///     Prot LocalAddress:Port Scheduler Flags
///       -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
///     TCP  192.168.1.110:80 wrr persistent 50
///       -> 192.168.1.2:80               Masq    1      0          0
///
/// Parsed only when every line is a header, a service or a server, with numeric addresses.
package enum IPVSTable {
    /// `ipvsadm -Ln`, `ipvsadm -L -n`, `ipvsadm -ln`, with `-t|-u|-f SERVICE` narrowing it.
    package static func isListing(_ shell: ShellWords) -> Bool {
        guard shell.program == "ipvsadm" else { return false }
        var words = shell.words[...]
        if words.first == "sudo" { words = words.dropFirst() }
        var list = false, numeric = false
        var rest = words.dropFirst()
        while let word = rest.popFirst() {
            switch word {
            case "-Ln", "-nL", "-ln", "-nl": list = true; numeric = true
            case "-L", "-l", "--list": list = true
            case "-n", "--numeric": numeric = true
            case "-t", "-u", "-f", "--tcp-service", "--udp-service", "--fwmark-service":
                guard rest.popFirst() != nil else { return false }
            default: return false
            }
        }
        return list && numeric
    }

    package static func parse(lines: ArraySlice<Substring>) -> [IPVSService]? {
        var services: [IPVSService] = []
        var sawHeader = false
        for line in lines {
            let fields = Bytes.fields(line)
            guard let first = fields.first else { continue }
            switch first {
            case "IP", "Prot":
                sawHeader = true
            case "->":
                guard fields.count >= 3, fields[1] != "RemoteAddress:Port" else {
                    sawHeader = true
                    continue
                }
                guard !services.isEmpty, fields.count >= 4, endpoint(fields[1]), let weight = Int(fields[3]),
                    let forwarding = IPVSService.forwarding(listed: fields[2])
                else {
                    return nil
                }
                services[services.count - 1].servers.append(
                    IPVSService.Server(address: String(fields[1]), forwarding: forwarding, weight: weight))
            default:
                guard let serviceProtocol = IPVSService.serviceProtocol(listed: first), fields.count >= 3,
                    serviceProtocol == .fwmark ? UInt32(fields[1]) != nil : endpoint(fields[1])
                else { return nil }
                services.append(
                    IPVSService(
                        serviceProtocol: serviceProtocol, service: String(fields[1]), scheduler: String(fields[2]),
                        persistent: IPVSService.persistence(fields), servers: []))
            }
        }
        return sawHeader || !services.isEmpty ? services : nil
    }

    /// `192.168.1.2:80`.
    private static func endpoint(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":")
        return parts.count == 2 && IPv4.parse(parts[0]) != nil && UInt16(parts[1]) != nil
    }
}
