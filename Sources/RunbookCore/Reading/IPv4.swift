/// Dotted-quad IPv4 arithmetic for route destinations, masks and gateways.
package enum IPv4 {
    package static func parse(_ text: some StringProtocol) -> UInt32? {
        parse(text.utf8)
    }

    package static func parse(_ bytes: some Sequence<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else if byte >= 0x30, byte <= 0x39, digits < 3 {
                octet = octet * 10 + UInt32(byte - 0x30)
                digits += 1
                guard octet <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    /// Prefix length of a contiguous netmask (`255.255.255.0` -> 24).
    package static func prefixLength(mask bytes: some Sequence<UInt8>) -> Int? {
        guard let mask = parse(bytes) else { return nil }
        let length = (~mask).leadingZeroBitCount
        return mask == (length == 0 ? 0 : UInt32.max << (32 - length)) ? length : nil
    }

    /// Whether the CIDR `a.b.c.d/len` contains the address.
    package static func contains(_ cidr: String, _ address: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let network = parse(parts[0]), let length = Int(parts[1]), (0...32).contains(length),
            let host = parse(address)
        else { return false }
        let mask: UInt32 = length == 0 ? 0 : UInt32.max << (32 - length)
        return network & mask == host & mask
    }

    /// `a.b.c.d/len` (a bare address is a /32); nil when it is not one.
    package static func cidr(_ text: some StringProtocol) -> String? {
        if text == "default" { return "0.0.0.0/0" }
        let bytes = Substring(text).utf8
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else {
            return parse(text) == nil ? nil : String(text) + "/32"
        }
        let address = Substring(bytes[..<slash])
        guard parse(address) != nil, let length = Int(Substring(bytes[bytes.index(after: slash)...])),
            (0...32).contains(length)
        else {
            return nil
        }
        return String(address) + "/" + String(length)
    }
}
