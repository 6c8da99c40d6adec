/// Writes JSON straight into a byte buffer, objects keeping the order their members are written
/// in, so documents read like the schema (`schema`, `file`, `title`, `steps`) and golden files
/// stay stable. No intermediate tree: a runbook of 100,000 steps is written without building
/// one value per field first.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Bit n: the container open at depth n has a member already, so a comma is due. A bit set
    /// rather than an array: this is touched for every value written.
    private var members: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the current object; the value follows. Member names are literals
    /// of our schema, so they are written as they are, without escaping.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
        members &= ~(1 << (depth - 1))
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { quote(value) } else { null() }
    }

    public mutating func int(_ value: Int?) {
        separate()
        guard let value else { return null() }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func nullValue() {
        separate()
        null()
    }

    /// Appends JSON text that the caller has laid out itself (separators between chunks).
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int?) {
        key(name)
        int(value)
    }

    private mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        precondition(depth < 64, "JSON nested deeper than 64 levels")
        depth += 1
        members &= ~(1 << (depth - 1))
    }

    private mutating func close(_ byte: UInt8) {
        depth -= 1
        bytes.append(byte)
    }

    /// Writes the comma before every value but the first of its container (a key's value is
    /// not preceded by one: `key` resets the flag).
    private mutating func separate() {
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << (depth - 1)
        if members & bit != 0 {
            bytes.append(UInt8(ascii: ","))
        } else {
            members |= bit
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { buffer in
            // Most strings need no escaping: copy them whole.
            guard buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }) else {
                bytes.append(contentsOf: buffer)
                return
            }
            var start = 0
            for (index, byte) in buffer.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): bytes.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\t"): bytes.append(contentsOf: "\\t".utf8)
                case UInt8(ascii: "\r"): bytes.append(contentsOf: "\\r".utf8)
                default:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(JSONWriter.hex[Int(byte >> 4)])
                    bytes.append(JSONWriter.hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
