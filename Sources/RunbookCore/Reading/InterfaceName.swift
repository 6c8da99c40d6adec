/// Interface names and address labels a typed step may carry. The kernel refuses only `/`,
/// `:` and white space in a device's name, but a name from a runbook ends up in commands runbook
/// runs (`ip route add ... dev NAME`), so only the characters real names use are taken: letters,
/// digits, `.`, `_`, `-`, at most 15 bytes (IFNAMSIZ). Anything else leaves the command plain,
/// to run as the runbook writes it.
enum InterfaceName {
    static func isDevice(_ name: String) -> Bool {
        isName(name, extra: 0)
    }

    /// `eth0:110`: the device's name, then `:` and more, 15 bytes in all.
    static func isLabel(_ label: String, of device: String) -> Bool {
        label.hasPrefix(device + ":") && isName(label, extra: UInt8(ascii: ":"))
    }

    /// A device, or an alias label of one (`route add ... dev lo:0` names the device `lo`).
    static func isDeviceOrLabel(_ name: String) -> Bool {
        guard let colon = name.firstIndex(of: ":") else { return isDevice(name) }
        return isDevice(String(name[..<colon])) && isLabel(name, of: String(name[..<colon]))
    }

    private static func isName(_ name: String, extra: UInt8) -> Bool {
        guard (1...15).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy {
            Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                || $0 == extra
        }
    }
}
