/// Dotted-quad IPv4 arithmetic for route destinations, masks and gateways.
enum IPv4 {
    static func parse(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt32(part), octet <= 255 else {
                return nil
            }
            value = value << 8 | octet
        }
        return value
    }

    /// Prefix length of a contiguous netmask (`255.255.255.0` -> 24).
    static func prefixLength(mask text: some StringProtocol) -> Int? {
        guard let mask = parse(text) else { return nil }
        let length = mask.leadingNonzeroBitCount
        return mask == (length == 0 ? 0 : UInt32.max << (32 - length)) ? length : nil
    }

    /// `a.b.c.d/len` (a bare address is a /32); nil when it is not one.
    static func cidr(_ text: some StringProtocol) -> String? {
        if text == "default" { return "0.0.0.0/0" }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, parse(parts[0]) != nil else { return nil }
        if parts.count == 1 { return "\(parts[0])/32" }
        guard let length = Int(parts[1]), (0...32).contains(length) else { return nil }
        return "\(parts[0])/\(length)"
    }
}

extension UInt32 {
    fileprivate var leadingNonzeroBitCount: Int { (~self).leadingZeroBitCount }
}
