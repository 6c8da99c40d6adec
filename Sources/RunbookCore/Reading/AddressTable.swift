/// Interface addresses as `ip -o -4 addr show` prints them, one line each:
/// `2: eth0    inet 192.168.1.110/24 brd 192.168.1.255 scope global secondary eth0:110\ ...`.
/// The last word before the lifetimes is the label.
package enum AddressTable {
    package static func parse(oneLine text: String) -> [InterfaceAddress] {
        var addresses: [InterfaceAddress] = []
        for line in Bytes.lines(text) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 4, words[0].hasSuffix(":"), words[2] == "inet", IPv4.cidr(words[3]) != nil else {
                continue
            }
            let device = String(words[1].split(separator: "@").first ?? words[1])
            // `... eth0:110\       valid_lft forever`: the backslash ends the label's word.
            let last = words.firstIndex(where: { $0.hasSuffix("\\") }) ?? words.endIndex - 1
            var label = words[last]
            if label.hasSuffix("\\") { label = label.dropLast() }
            addresses.append(
                InterfaceAddress(
                    address: IPv4.cidr(words[3])!, device: device,
                    label: label.hasPrefix(device + ":") ? String(label) : nil))
        }
        return addresses
    }
}
